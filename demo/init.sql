-- The demo's shop database, loaded by `bin/mssql-cdc-emulator --init demo/init.sql` (bin/demo does it).
-- Plain T-SQL with GO separators: the same script prepares a real SQL Server database (run it with sqlcmd).

EXEC sys.sp_cdc_enable_db;
GO

CREATE TABLE dbo.customers (
    id INT NOT NULL PRIMARY KEY,
    name NVARCHAR(100) NOT NULL,
    email NVARCHAR(200) NULL,
    city NVARCHAR(50) NULL,
    created_at DATETIME2(3) NULL
);
GO

CREATE TABLE dbo.orders (
    id INT NOT NULL PRIMARY KEY,
    customer_id INT NOT NULL,
    status NVARCHAR(20) NOT NULL,
    total DECIMAL(10, 2) NULL,
    ordered_at DATETIME2(3) NULL
);
GO

CREATE SCHEMA sales;
GO

-- A name with a space, on purpose: the provider brackets every identifier.
CREATE TABLE sales.[order lines] (
    order_id INT NOT NULL,
    line_no INT NOT NULL,
    product NVARCHAR(100) NOT NULL,
    quantity INT NOT NULL,
    price MONEY NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
GO

EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'customers', @role_name = NULL;
GO
EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'orders', @role_name = NULL;
GO
EXEC sys.sp_cdc_enable_table @source_schema = N'sales', @source_name = N'order lines', @role_name = NULL;
GO

-- A few customers before the workload starts: the provider's first lines (start_position earliest).
INSERT INTO dbo.customers (id, name, email, city, created_at) VALUES (1, N'Ann Smith', N'ann@example.org', N'Oslo', '2026-01-05 09:30:00.000');
GO
INSERT INTO dbo.customers (id, name, email, city, created_at) VALUES (2, N'José Silva', N'jose@example.org', N'São Paulo', '2026-01-06 14:02:11.250');
GO
INSERT INTO dbo.customers (id, name, email, city, created_at) VALUES (3, N'Hiro Tanaka', NULL, N'Osaka', '2026-01-07 18:45:00.500');
GO
