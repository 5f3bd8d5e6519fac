package io.dstream.mssql.emulator.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The demo's shop: keeps adding customers, placing orders (an order and its lines in one transaction, so one
 * commit LSN shows up in two tables' streams), moving orders along, editing customers and removing lines — a few
 * transactions per second against {@code demo/init.sql}'s tables, through plain JDBC.
 *
 * <p>Usage: {@code java -cp <emulator jar>:<mssql-jdbc> io.dstream.mssql.emulator.demo.DemoWorkload <jdbc-url>
 * [transactions-per-second]}. Runs until killed; a failed transaction is reported on stderr and the next one
 * goes on (with a new connection), so the demo survives connection drops.
 */
public final class DemoWorkload {

    // SQL Server and the emulator both take these as written; parameters keep values out of the SQL text.
    private static final String INSERT_CUSTOMER =
            "INSERT INTO dbo.customers (id, name, email, city, created_at) VALUES (?, ?, ?, ?, ?)";
    private static final String UPDATE_CUSTOMER_EMAIL = "UPDATE dbo.customers SET email = ? WHERE id = ?";
    private static final String INSERT_ORDER =
            "INSERT INTO dbo.orders (id, customer_id, status, total, ordered_at) VALUES (?, ?, N'new', ?, ?)";
    private static final String UPDATE_ORDER_STATUS = "UPDATE dbo.orders SET status = ? WHERE id = ?";
    private static final String INSERT_LINE =
            "INSERT INTO sales.[order lines] (order_id, line_no, product, quantity, price) VALUES (?, ?, ?, ?, ?)";
    private static final String DELETE_LINE = "DELETE FROM sales.[order lines] WHERE order_id = ? AND line_no = ?";
    private static final String DELETE_LINES = "DELETE FROM sales.[order lines] WHERE order_id = ?";
    private static final String DELETE_ORDER = "DELETE FROM dbo.orders WHERE id = ?";

    private static final String[] FIRST = {"Ann", "Bob", "Chloé", "Dmitri", "Eva", "Farid", "Greta", "Hiro", "Inès", "José"};
    private static final String[] LAST = {"Smith", "Müller", "Rossi", "Dubois", "Kowalski", "Tanaka", "Silva", "Öztürk"};
    private static final String[] CITIES = {"Oslo", "Zürich", "Lyon", "Kraków", "São Paulo", "Osaka", "Montréal"};
    private static final String[] PRODUCTS = {"tea", "coffee", "croissant", "bagel", "crème brûlée", "matcha", "scone"};
    private static final String[] NEXT_STATUS = {"new", "paid", "shipped"};

    private final String jdbcUrl;
    private final Random random = new Random(2026);
    private final List<Integer> customers = new ArrayList<>();
    private final List<Order> orders = new ArrayList<>();
    private int nextCustomer = 100;
    private int nextOrder = 1000;
    private long committed;

    private static final class Order {
        final int id;
        int status;
        int lines;

        Order(int id, int lines) {
            this.id = id;
            this.lines = lines;
        }
    }

    private DemoWorkload(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: DemoWorkload <jdbc-url> [transactions-per-second]");
            System.exit(2);
        }
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        if (rate <= 0) {
            System.err.println("the rate must be > 0 transactions per second, got " + args[1]);
            System.exit(2);
        }
        new DemoWorkload(args[0]).run(rate);
    }

    private void run(double rate) throws InterruptedException {
        long pauseNanos = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
        Connection connection = null;
        while (!Thread.currentThread().isInterrupted()) {
            long started = System.nanoTime();
            try {
                if (connection == null) {
                    connection = DriverManager.getConnection(jdbcUrl);
                    connection.setAutoCommit(false);
                }
                String what = step(connection);
                connection.commit();
                committed++;
                System.err.printf("workload: #%d %s%n", committed, what);
            } catch (SQLException e) {
                System.err.println("workload: transaction failed, reconnecting: " + e.getMessage());
                connection = closeQuietly(connection);
            }
            TimeUnit.NANOSECONDS.sleep(Math.max(0, pauseNanos - (System.nanoTime() - started)));
        }
    }

    /** One transaction's statements; says what it did. */
    private String step(Connection c) throws SQLException {
        int dice = random.nextInt(100);
        if (customers.size() < 3 || dice < 20) {
            return addCustomer(c);
        }
        if (orders.isEmpty() || dice < 55) {
            return placeOrder(c);
        }
        if (dice < 75) {
            return advanceOrder(c);
        }
        if (dice < 85) {
            return changeEmail(c);
        }
        if (dice < 93) {
            return removeLine(c);
        }
        return removeOrder(c);
    }

    private String addCustomer(Connection c) throws SQLException {
        int id = nextCustomer++;
        String name = pick(FIRST) + " " + pick(LAST);
        try (PreparedStatement s = c.prepareStatement(INSERT_CUSTOMER)) {
            s.setInt(1, id);
            s.setString(2, name);
            s.setString(3, email(name, id));
            s.setString(4, pick(CITIES));
            s.setTimestamp(5, Timestamp.valueOf(LocalDateTime.now().withNano(0)));
            s.executeUpdate();
        }
        customers.add(id);
        return "new customer " + id;
    }

    /** An order and its lines in one transaction: the same commit LSN in dbo.orders and sales.[order lines]. */
    private String placeOrder(Connection c) throws SQLException {
        int id = nextOrder++;
        int lines = 1 + random.nextInt(3);
        long totalCents = 0;
        try (PreparedStatement line = c.prepareStatement(INSERT_LINE)) {
            for (int n = 1; n <= lines; n++) {
                int quantity = 1 + random.nextInt(4);
                long priceCents = 150 + random.nextInt(900);
                totalCents += quantity * priceCents;
                line.setInt(1, id);
                line.setInt(2, n);
                line.setString(3, pick(PRODUCTS));
                line.setInt(4, quantity);
                line.setBigDecimal(5, BigDecimal.valueOf(priceCents, 2));
                line.executeUpdate();
            }
        }
        try (PreparedStatement order = c.prepareStatement(INSERT_ORDER)) {
            order.setInt(1, id);
            order.setInt(2, customers.get(random.nextInt(customers.size())));
            order.setBigDecimal(3, BigDecimal.valueOf(totalCents, 2));
            order.setTimestamp(4, Timestamp.valueOf(LocalDateTime.now().withNano(0)));
            order.executeUpdate();
        }
        orders.add(new Order(id, lines));
        return "order " + id + " with " + lines + " line(s)";
    }

    private String advanceOrder(Connection c) throws SQLException {
        Order order = orders.get(random.nextInt(orders.size()));
        if (order.status + 1 >= NEXT_STATUS.length) {
            return placeOrder(c);
        }
        order.status++;
        try (PreparedStatement s = c.prepareStatement(UPDATE_ORDER_STATUS)) {
            s.setString(1, NEXT_STATUS[order.status]);
            s.setInt(2, order.id);
            s.executeUpdate();
        }
        return "order " + order.id + " " + NEXT_STATUS[order.status];
    }

    private String changeEmail(Connection c) throws SQLException {
        int id = customers.get(random.nextInt(customers.size()));
        try (PreparedStatement s = c.prepareStatement(UPDATE_CUSTOMER_EMAIL)) {
            s.setString(1, "customer" + id + "." + random.nextInt(1000) + "@example.org");
            s.setInt(2, id);
            s.executeUpdate();
        }
        return "customer " + id + " new email";
    }

    private String removeLine(Connection c) throws SQLException {
        Order order = orders.get(random.nextInt(orders.size()));
        if (order.lines == 0) {
            return addCustomer(c);
        }
        try (PreparedStatement s = c.prepareStatement(DELETE_LINE)) {
            s.setInt(1, order.id);
            s.setInt(2, order.lines);
            s.executeUpdate();
        }
        order.lines--;
        return "order " + order.id + " lost a line";
    }

    /** A cancelled order goes with its lines, in one transaction. */
    private String removeOrder(Connection c) throws SQLException {
        Order order = orders.remove(random.nextInt(orders.size()));
        try (PreparedStatement lines = c.prepareStatement(DELETE_LINES);
             PreparedStatement head = c.prepareStatement(DELETE_ORDER)) {
            lines.setInt(1, order.id);
            lines.executeUpdate();
            head.setInt(1, order.id);
            head.executeUpdate();
        }
        return "order " + order.id + " cancelled";
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String email(String name, int id) {
        return name.toLowerCase().replaceAll("[^a-z]", ".") + id + "@example.org";
    }

    private static Connection closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is already gone; a new one is opened for the next transaction
            }
        }
        return null;
    }
}
