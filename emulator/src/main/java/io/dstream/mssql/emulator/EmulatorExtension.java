package io.dstream.mssql.emulator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit Jupiter extension: gives a test class one running {@link Emulator} (default settings,
 * a free port) as a parameter of {@code @BeforeAll}, {@code @BeforeEach} and test methods, and
 * stops it after all tests of the class.
 *
 * <pre>{@code
 * @ExtendWith(EmulatorExtension.class)
 * class MyIT {
 *     @Test
 *     void reads(Emulator emulator) throws SQLException {
 *         try (Connection c = emulator.connect()) { ... }
 *     }
 * }
 * }</pre>
 */
public final class EmulatorExtension implements ParameterResolver, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmulatorExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Emulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        ExtensionContext.Store store = classContext(context).getStore(NAMESPACE);
        return store.computeIfAbsent(Emulator.class, k -> Emulator.builder().start(), Emulator.class);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Emulator emulator = context.getStore(NAMESPACE).remove(Emulator.class, Emulator.class);
        if (emulator != null) {
            emulator.close();
        }
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }
}
