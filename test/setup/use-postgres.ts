// Jest setup of the "postgres" project: the end-to-end suites run against PostgreSQL instead of SQLite.
process.env.TEST_DATABASE = 'postgres';
