package io.dstream.mssql.emulator.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code EXEC [@status =] name [[@param =] value [OUTPUT]], …}. T-SQL allows constants,
 * variables, {@code DEFAULT} and unquoted strings as arguments.
 *
 * @param statusVariable the variable receiving the return status, or null
 * @param name           the procedure name's parts ({@code sys}, {@code sp_x})
 * @param written        the name as written, for error 2812
 * @param arguments      the arguments in order
 * @param outputs        arguments marked OUTPUT
 */
record ExecCall(String statusVariable, List<String> name, String written, List<ProcedureCall.Argument> arguments,
                List<Output> outputs) {

    /** An OUTPUT argument: the parameter name (null when positional), the caller's variable, the argument position. */
    record Output(String parameter, String variable, int position) {
    }

    /** How argument values are obtained. */
    interface Evaluator {
        Parameter variable(String name);

        Object evaluate(List<Token> expression);
    }

    static ExecCall parse(List<Token> ts, Evaluator evaluator) {
        int i = 0;
        String statusVariable = null;
        if (ts.get(0).kind() == Token.Kind.VARIABLE && ts.size() > 1 && ts.get(1).isSymbol("=")) {
            statusVariable = ts.get(0).text();
            evaluator.variable(statusVariable);
            i = 2;
        }
        List<String> name = new ArrayList<>();
        StringBuilder written = new StringBuilder();
        while (i < ts.size() && (ts.get(i).isName() || ts.get(i).isSymbol("."))) {
            if (ts.get(i).isName()) {
                name.add(ts.get(i).value());
            }
            written.append(ts.get(i).value());
            i++;
        }
        if (name.isEmpty()) {
            throw Parser.syntaxError(ts.get(Math.min(i, ts.size() - 1)));
        }
        List<Token> rest = parenthesized(ts.subList(i, ts.size()));
        List<ProcedureCall.Argument> arguments = new ArrayList<>();
        List<Output> outputs = new ArrayList<>();
        for (int[] range : Translator.arguments(rest, 0, rest.size() - 1)) {
            arguments.add(argument(rest.subList(range[0], range[1]), arguments.size(), evaluator, outputs));
        }
        return new ExecCall(statusVariable, name, written.toString(), arguments, outputs);
    }

    static List<Token> parenthesized(List<Token> tokens) {
        List<Token> w = new ArrayList<>();
        w.add(new Token(Token.Kind.SYMBOL, "(", 0));
        w.addAll(tokens);
        w.add(new Token(Token.Kind.SYMBOL, ")", 0));
        return w;
    }

    private static ProcedureCall.Argument argument(List<Token> arg, int position, Evaluator evaluator, List<Output> outputs) {
        String name = null;
        int from = 0;
        int to = arg.size();
        if (to >= 2 && arg.get(0).kind() == Token.Kind.VARIABLE && arg.get(1).isSymbol("=")) {
            name = arg.get(0).text().substring(1);
            from = 2;
        }
        if (to - from >= 2 && (arg.get(to - 1).is("OUTPUT") || arg.get(to - 1).is("OUT"))) {
            to--;
            outputs.add(new Output(name, arg.get(from).text(), position));
        }
        List<Token> value = arg.subList(from, to);
        if (value.size() == 1 && value.get(0).is("DEFAULT")) {
            return new ProcedureCall.Argument(name, null, true);
        }
        if (value.size() == 1 && value.get(0).kind() == Token.Kind.WORD && !value.get(0).is("NULL")) {
            // T-SQL lets a procedure argument be an unquoted string
            return new ProcedureCall.Argument(name, value.get(0).text(), false);
        }
        if (value.size() == 1 && value.get(0).kind() == Token.Kind.VARIABLE) {
            return new ProcedureCall.Argument(name, evaluator.variable(value.get(0).text()).value(), false);
        }
        return new ProcedureCall.Argument(name, evaluator.evaluate(value), false);
    }

    /**
     * The parameters of {@code sp_executesql}: its definition string ({@code @a int, @b nvarchar(10) OUTPUT})
     * with the values of the arguments after the first two, matched by name or position.
     */
    static List<Parameter> executeSqlParameters(List<ProcedureCall.Argument> arguments) {
        List<Parameter> declared = new ArrayList<>();
        if (arguments.size() > 1 && arguments.get(1).value() != null) {
            List<Token> def = Lexer.tokenize(arguments.get(1).value().toString());
            int i = 0;
            while (i < def.size()) {
                String pname = def.get(i).text();
                SqlTypes.Parsed type = SqlTypes.parse(def, i + 1);
                i = type.next();
                boolean output = false;
                while (i < def.size() && !def.get(i).isSymbol(",")) {
                    output |= def.get(i).is("OUTPUT") || def.get(i).is("OUT");
                    i++;
                }
                i++;
                declared.add(new Parameter(pname, type.type(), null, output));
            }
        }
        int position = 0;
        for (ProcedureCall.Argument a : arguments.subList(Math.min(2, arguments.size()), arguments.size())) {
            Parameter target = a.name() == null ? (position < declared.size() ? declared.get(position) : null)
                    : declared.stream().filter(p -> p.name().equalsIgnoreCase("@" + a.name())).findFirst().orElse(null);
            position++;
            if (target == null) {
                throw SqlError.of(8145, (a.name() == null ? "An argument" : "@" + a.name())
                        + " is not a parameter for procedure sp_executesql.");
            }
            declared.set(declared.indexOf(target), new Parameter(target.name(), target.type(),
                    Values.coerce(a.value(), target.type()), target.output()));
        }
        return declared;
    }
}
