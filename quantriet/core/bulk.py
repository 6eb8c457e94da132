"""Many rows written at once, faster than `bulk_create`: COPY on PostgreSQL, one prepared INSERT elsewhere."""

from django.db import connection, models

#: Rows per executemany (SQLite).
INSERT_BATCH = 20_000


def insert_rows(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    """ROWS (the values of MODEL's fields NAMES, in order; a foreign key as its id) written at once.

    bulk_create prepares every value of every row and, on SQLite, cuts the rows into statements of 999
    parameters: 150 µs a row, 20 seconds for a province's 150,000 evaluations. Here the JSON, decimal and
    date values are prepared once per distinct object (rows often share their vectors, tallies and
    dates; ROWS is a list, so an object's id stays its own) and the others go as they are.
    """
    fields = [model._meta.get_field(name) for name in names]
    kinds = (models.JSONField, models.DecimalField, models.DateField)
    prepared = [i for i, f in enumerate(fields) if isinstance(f, kinds)]
    memo = {}

    def prepare(row):
        row = list(row)
        for i in prepared:
            key = (i, id(row[i]) if isinstance(row[i], dict | list) else row[i])
            if key not in memo:
                memo[key] = fields[i].get_db_prep_save(row[i], connection)
            row[i] = memo[key]
        return row

    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(prepare(row))
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        for start in range(0, len(rows), INSERT_BATCH):
            cursor.executemany(sql, [prepare(row) for row in rows[start : start + INSERT_BATCH]])
