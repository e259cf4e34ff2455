//! Small helpers every area's queries share: binding parameters, running a statement and
//! reading its rows, optional columns, and statements for operator tooling and tests. The
//! queries themselves live in the areas that own their tables.
//!
//! A query is its SQL and its parameters in one value: `row::optional(c, sql, (ws, id))`
//! binds `ws` as `$1` and `id` as `$2` (see [`Bind`]), runs the statement and builds the row
//! with [`FromRow`]; [`execute`], [`changed`] and [`one_changed`] run a statement, [`scalar`]
//! and its kin read one column. A row type read whole from one table is declared with
//! [`table!`](crate::table), and then [`find`] and [`find_all`] take only the clause after
//! `FROM`.

use frontdesk_core::Timestamp;
use sqlx::any::AnyArguments;
pub use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row};

/// A query with its bound parameters, ready to run.
pub type Query<'q> = sqlx::query::Query<'q, Any, AnyArguments<'q>>;

/// The parameters of a statement, bound in order as `$1`, `$2`, ...
///
/// A plain SQL value (`i64`, text, a blob, or an `Option` of one) binds as itself; a typed id
/// binds as its text, a [`Timestamp`] as its milliseconds, a [`Role`](frontdesk_core::Role)
/// as its name and a `bool` as `0`/`1` (both backends store flags as BIGINT). A tuple binds
/// each of its members in order, a slice of ids each of its ids (the values of an `IN (...)`
/// list, see [`placeholders`]), a row declared with [`table!`](crate::table) its fields, and
/// `()` nothing.
pub trait Bind: Send {
    /// Appends the value (or values) to the query's parameters.
    fn bind_to<'q>(self, q: Query<'q>) -> Query<'q>
    where
        Self: 'q;
}

macro_rules! bind_via {
    ($($t:ty => |$v:ident| $e:expr),* $(,)?) => {$(
        impl<'a> Bind for $t {
            fn bind_to<'q>(self, q: Query<'q>) -> Query<'q>
            where
                Self: 'q,
            {
                let $v = self;
                q.bind($e)
            }
        }
    )*};
}
bind_via!(
    i64 => |v| v,
    Option<i64> => |v| v,
    &'a str => |v| v,
    Option<&'a str> => |v| v,
    String => |v| v,
    Option<String> => |v| v,
    Vec<u8> => |v| v,
    &'a String => |s| s.as_str(),
    &'a Option<String> => |s| s.as_deref(),
    bool => |b| i64::from(b),
    Timestamp => |t| t.0,
    Option<Timestamp> => |t| t.map(|t| t.0),
    frontdesk_core::Role => |r| r.as_str(),
    // A field of a row, for a row's own `Bind` (see `table!`).
    &'a i64 => |v| *v,
    &'a Option<i64> => |v| *v,
    &'a bool => |b| i64::from(*b),
    &'a Vec<u8> => |v| v.as_slice(),
    &'a frontdesk_core::Role => |r| r.as_str(),
    &'a frontdesk_core::inbox::ChannelKind => |k| k.as_str(),
);

macro_rules! bind_tuples {
    ($($v:ident: $t:ident),*) => {
        impl<$($t: Bind),*> Bind for ($($t,)*) {
            #[allow(unused_variables)]
            fn bind_to<'q>(self, q: Query<'q>) -> Query<'q>
            where
                Self: 'q,
            {
                let ($($v,)*) = self;
                $(let q = $v.bind_to(q);)*
                q
            }
        }
    };
}

/// `Bind` for every tuple from the longest named here down to `()`.
macro_rules! bind_all_tuples {
    () => {
        bind_tuples!();
    };
    ($v:ident: $t:ident $(, $vs:ident: $ts:ident)*) => {
        bind_tuples!($v: $t $(, $vs: $ts)*);
        bind_all_tuples!($($vs: $ts),*);
    };
}
bind_all_tuples!(
    v0: T0, v1: T1, v2: T2, v3: T3, v4: T4, v5: T5, v6: T6, v7: T7, v8: T8, v9: T9, v10: T10, v11: T11, v12: T12,
    v13: T13, v14: T14, v15: T15, v16: T16, v17: T17, v18: T18, v19: T19, v20: T20, v21: T21, v22: T22, v23: T23,
    v24: T24
);

/// The statement `sql` with `args` bound (see [`Bind`]).
pub fn query<'q>(sql: &'q str, args: impl Bind + 'q) -> Query<'q> {
    args.bind_to(sqlx::query(sql))
}

/// `$first, $first+1, ...`: the placeholders of an `IN (...)` list of `n` values that are
/// bound after the `first - 1` others.
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Runs a statement.
pub async fn execute(c: &mut AnyConnection, sql: &str, args: impl Bind) -> sqlx::Result<()> {
    changed(c, sql, args).await.map(drop)
}

/// Runs a statement; how many rows it changed.
pub async fn changed(c: &mut AnyConnection, sql: &str, args: impl Bind) -> sqlx::Result<u64> {
    Ok(query(sql, args).execute(c).await?.rows_affected())
}

/// Whether a statement changed exactly one row (an update or delete by id, an insert that
/// did not conflict).
pub async fn one_changed(c: &mut AnyConnection, sql: &str, args: impl Bind) -> sqlx::Result<bool> {
    Ok(changed(c, sql, args).await? == 1)
}

/// A row type built from a query's columns. Building can fail: a column holding an enum is
/// parsed into the enum, and an unknown value is an error, never a silent default.
pub trait FromRow: Sized {
    fn from_row(r: &AnyRow) -> sqlx::Result<Self>;
}

/// The row a query finds, if any.
pub async fn optional<T: FromRow>(c: &mut AnyConnection, sql: &str, args: impl Bind) -> sqlx::Result<Option<T>> {
    optional_with(c, sql, args, T::from_row).await
}

/// Every row a query finds, in its order.
pub async fn all<T: FromRow>(c: &mut AnyConnection, sql: &str, args: impl Bind) -> sqlx::Result<Vec<T>> {
    all_with(c, sql, args, T::from_row).await
}

/// The row a query finds, if any, built by `f` (a row with extra columns, a tuple).
pub async fn optional_with<T>(
    c: &mut AnyConnection,
    sql: &str,
    args: impl Bind,
    f: impl Fn(&AnyRow) -> sqlx::Result<T> + Send,
) -> sqlx::Result<Option<T>> {
    query(sql, args).fetch_optional(c).await?.as_ref().map(f).transpose()
}

/// Every row a query finds, in its order, each built by `f`.
pub async fn all_with<T>(
    c: &mut AnyConnection,
    sql: &str,
    args: impl Bind,
    f: impl Fn(&AnyRow) -> sqlx::Result<T> + Send,
) -> sqlx::Result<Vec<T>> {
    query(sql, args).fetch_all(c).await?.iter().map(f).collect()
}

/// The first column of the one row a query returns (`SELECT COUNT(*) ...`).
pub async fn scalar<T: Column>(c: &mut AnyConnection, sql: &str, args: impl Bind) -> sqlx::Result<T> {
    query(sql, args).fetch_one(c).await?.try_get(0)
}

/// The first column of the first row a query returns, if it returns any.
pub async fn opt_scalar<T: Column>(c: &mut AnyConnection, sql: &str, args: impl Bind) -> sqlx::Result<Option<T>> {
    optional_with(c, sql, args, |r| r.try_get(0)).await
}

/// The first column of every row a query returns, in its order.
pub async fn scalars<T: Column>(c: &mut AnyConnection, sql: &str, args: impl Bind) -> sqlx::Result<Vec<T>> {
    all_with(c, sql, args, |r| r.try_get(0)).await
}

/// A value one column decodes into (`i64`, `String`, an `Option` of one).
pub trait Column: for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any> + Send {}
impl<T: for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any> + Send> Column for T {}

/// A row type read whole from one table: [`find`] and [`find_all`] select its columns from
/// its table and add the caller's clause. [`table!`](crate::table) implements it (and
/// [`FromRow`]) for a struct.
pub trait Table: FromRow {
    /// The table, with its alias when the columns name one (`threads t`).
    const FROM: &'static str;
    /// The columns a `SELECT` of the row names, comma-separated.
    const COLUMNS: &'static str;
}

/// A field type that reads itself from the column of a row with its name: what
/// [`table!`](crate::table) builds each field with.
///
/// Plain values decode as they are; a nullable column (`Option` of a value or an id) is `None`
/// for NULL (as [`opt_str`] and [`opt_i64`]); a typed id is its text; a `bool` is a BIGINT flag
/// (`0` is false); a [`Role`](frontdesk_core::Role) or a
/// [`ChannelKind`](frontdesk_core::inbox::ChannelKind) is parsed, an unknown value an error.
pub trait FromColumn: Sized {
    fn from_column(r: &AnyRow, col: &str) -> sqlx::Result<Self>;
}

macro_rules! from_column {
    ($($t:ty => |$r:ident, $col:ident| $e:expr),* $(,)?) => {$(
        impl FromColumn for $t {
            fn from_column($r: &AnyRow, $col: &str) -> sqlx::Result<Self> {
                $e
            }
        }
    )*};
}
from_column!(
    i64 => |r, col| r.try_get(col),
    String => |r, col| r.try_get(col),
    Vec<u8> => |r, col| r.try_get(col),
    Option<i64> => |r, col| Ok(opt_i64(r, col)),
    Option<String> => |r, col| Ok(opt_str(r, col)),
    bool => |r, col| Ok(r.try_get::<i64, _>(col)? != 0),
    frontdesk_core::Role => |r, col| parsed(r, col, frontdesk_core::Role::parse),
    frontdesk_core::inbox::ChannelKind => |r, col| parsed(r, col, frontdesk_core::inbox::ChannelKind::parse),
);

/// `Bind` (as its text) and `FromColumn` for a typed id and for an optional one, and `Bind`
/// for a slice of ids (each its own parameter).
macro_rules! typed_ids {
    ($($id:ident),* $(,)?) => {
        bind_via!($(
            &'a frontdesk_core::$id => |id| id.as_str(),
            Option<&'a frontdesk_core::$id> => |id| id.map(frontdesk_core::$id::as_str),
            &'a Option<frontdesk_core::$id> => |id| id.as_ref().map(frontdesk_core::$id::as_str),
        )*);
        $(
            impl<'a> Bind for &'a [frontdesk_core::$id] {
                fn bind_to<'q>(self, q: Query<'q>) -> Query<'q>
                where
                    Self: 'q,
                {
                    self.iter().fold(q, |q, id| q.bind(id.as_str()))
                }
            }
        )*
        from_column!($(
            frontdesk_core::$id => |r, col| Ok(frontdesk_core::$id::from_db(r.try_get(col)?)),
            Option<frontdesk_core::$id> => |r, col| Ok(opt_str(r, col).map(frontdesk_core::$id::from_db)),
        )*);
    };
}

// Every typed id of `frontdesk_core` (its `id_type!` list).
typed_ids! {
    UserId, WorkspaceId, SessionId, InvitationId, ApiTokenId, JobId, AuditId, EmailTokenId, ChannelId, ContactId,
    ThreadId, MessageId, MediaId, InboundEventId, NoteId, ConsentEventId, VisitorId, SavedReplyId, WebhookId,
    WebhookDeliveryId, DraftId, AiCallId, ServiceId, ResourceId, BookingId, ExtraId, RequirementId, CouponId,
    OccurrenceId, BlockId, PaymentId, PaymentAccountId, RefundId, PaymentEventId, DeviceId, PhoneProviderId,
    DeviceProfileId, DeviceActivityId, InvoiceId, InvoiceLineId, InvoiceExportId,
}

/// Implements [`FromRow`] and [`Table`] for a struct read whole from one table: each field
/// named is read with [`FromColumn`] (by the field's type) from the column of its name, and
/// the columns are selected in the order named. The struct literal it builds names every
/// field, so a field left out (or one too many) does not compile. With `as t` the table gets
/// that alias and each column is selected as `t.<column>`.
///
/// A `&` of the struct also [`Bind`]s, as its fields in that order (at most 25), which is
/// what [`insert`] writes.
///
/// ```ignore
/// row::table!(Note in "thread_notes" { id, author_kind, author_id, body, created_at });
/// ```
#[macro_export]
macro_rules! table {
    (@impl $ty:ident, $from:expr, $columns:expr, $($field:ident),+) => {
        impl $crate::row::Table for $ty {
            const FROM: &'static str = $from;
            const COLUMNS: &'static str = $columns;
        }

        impl $crate::row::FromRow for $ty {
            fn from_row(r: &$crate::row::AnyRow) -> $crate::Result<Self> {
                Ok($ty { $($field: $crate::row::FromColumn::from_column(r, stringify!($field))?),+ })
            }
        }

        impl $crate::row::Bind for &$ty {
            fn bind_to<'q>(self, q: $crate::row::Query<'q>) -> $crate::row::Query<'q>
            where
                Self: 'q,
            {
                $crate::row::Bind::bind_to(($(&self.$field,)+), q)
            }
        }
    };
    ($ty:ident in $table:literal as $alias:ident { $first:ident $(, $field:ident)* $(,)? }) => {
        $crate::table!(
            @impl $ty,
            concat!($table, " ", stringify!($alias)),
            concat!(stringify!($alias), ".", stringify!($first) $(, ", ", stringify!($alias), ".", stringify!($field))*),
            $first $(, $field)*
        );
    };
    ($ty:ident in $table:literal { $first:ident $(, $field:ident)* $(,)? }) => {
        $crate::table!(
            @impl $ty,
            $table,
            concat!(stringify!($first) $(, ", ", stringify!($field))*),
            $first $(, $field)*
        );
    };
}
pub use crate::table;

/// `INSERT INTO <table> (<columns>) VALUES ($1, ...)` for a [`Table`] without an alias (a
/// `&T` from [`table!`](crate::table) binds those values).
pub fn insert_sql<T: Table>() -> String {
    debug_assert!(!T::FROM.contains(' '), "insert_sql of an aliased table");
    let values = placeholders(1, T::COLUMNS.split(',').count());
    format!("INSERT INTO {} ({}) VALUES ({values})", T::FROM, T::COLUMNS)
}

/// Inserts a whole row ([`insert_sql`] with the row's fields).
pub async fn insert<'r, T: Table>(c: &mut AnyConnection, row: &'r T) -> sqlx::Result<()>
where
    &'r T: Bind,
{
    execute(c, &insert_sql::<T>(), row).await
}

/// `SELECT <columns> FROM <table> <clause>` for a [`Table`].
pub fn select<T: Table>(clause: &str) -> String {
    format!("SELECT {} FROM {} {clause}", T::COLUMNS, T::FROM)
}

/// The row of `T`'s table that `clause` (`WHERE ...`, with any `ORDER BY`) finds, if any.
pub async fn find<T: Table>(c: &mut AnyConnection, clause: &str, args: impl Bind) -> sqlx::Result<Option<T>> {
    optional(c, &select::<T>(clause), args).await
}

/// Every row of `T`'s table that `clause` finds, in its order.
pub async fn find_all<T: Table>(c: &mut AnyConnection, clause: &str, args: impl Bind) -> sqlx::Result<Vec<T>> {
    all(c, &select::<T>(clause), args).await
}

/// A TEXT column parsed into an enum (`parse` is the enum's own parser).
pub fn parsed<T>(r: &AnyRow, col: &str, parse: impl Fn(&str) -> Option<T>) -> sqlx::Result<T> {
    let raw: String = r.try_get(col)?;
    parse(&raw).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: col.to_string(),
        source: format!("unknown value {raw:?}").into(),
    })
}

/// An optional BIGINT column (`None` for NULL or a missing column).
pub fn opt_i64(r: &AnyRow, col: &str) -> Option<i64> {
    r.try_get::<Option<i64>, _>(col).ok().flatten()
}

/// An optional TEXT column.
pub fn opt_str(r: &AnyRow, col: &str) -> Option<String> {
    r.try_get::<Option<String>, _>(col).ok().flatten()
}

/// Runs one statement without parameters (operator tooling and tests: `CREATE DATABASE`).
pub async fn raw_execute(c: &mut sqlx::AnyConnection, sql: &str) -> sqlx::Result<u64> {
    use sqlx::Executor;
    Ok(c.execute(sql).await?.rows_affected())
}

/// Every row of a table as text (PostgreSQL: `row_to_json`; SQLite: `quote()` of each column).
/// Used by the privacy tests to search stored bytes for secrets.
pub async fn dump_table_as_text(db: &crate::Db, table: &str) -> sqlx::Result<String> {
    if !table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(sqlx::Error::Protocol("bad table name".into()));
    }
    let sql = match db.backend() {
        crate::Backend::Postgres => format!("SELECT row_to_json(t)::text FROM {table} t"),
        crate::Backend::Sqlite => {
            let cols: Vec<String> = db
                .columns()
                .await?
                .into_iter()
                .filter(|(t, _)| t == table)
                .map(|(_, c)| format!("quote({c})"))
                .collect();
            format!("SELECT {} FROM {table}", cols.join(" || ',' || "))
        }
    };
    let rows = sqlx::query(&sql).fetch_all(db.pool()).await?;
    Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect::<Vec<_>>().join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::{ThreadId, WorkspaceId};

    struct Pair {
        id: ThreadId,
        preview: Option<String>,
    }
    table!(Pair in "threads" as t { id, preview });

    #[test]
    fn table_names_its_columns_in_order_with_the_alias() {
        assert_eq!(Pair::FROM, "threads t");
        assert_eq!(Pair::COLUMNS, "t.id, t.preview");
        assert_eq!(select::<Pair>("WHERE t.id = $1"), "SELECT t.id, t.preview FROM threads t WHERE t.id = $1");
        assert_eq!(placeholders(3, 2), "$3, $4");
    }

    struct Note {
        id: ThreadId,
        body: String,
    }
    table!(Note in "notes" { id, body });

    #[test]
    fn a_whole_row_is_inserted_in_its_column_order() {
        assert_eq!(insert_sql::<Note>(), "INSERT INTO notes (id, body) VALUES ($1, $2)");
    }

    #[tokio::test]
    async fn tuples_slices_and_typed_values_bind_in_order() {
        let file = std::env::temp_dir().join(format!("frontdesk-row-{}.db", ThreadId::new()));
        let db = crate::Db::connect(&format!("sqlite://{}", file.display()), 2).await.unwrap();
        let mut c = db.conn().await.unwrap();
        let ws = WorkspaceId::from_db("w".into());
        let ids = [ThreadId::from_db("a".into()), ThreadId::from_db("b".into())];
        let none: Option<&WorkspaceId> = None;
        let sql = "SELECT $1 || '/' || $2 || '/' || $3 || '/' || $4 || '/' || $5 || '/' || COALESCE($6, 'null')";
        let got: String = scalar(&mut c, sql, (&ws, (true, Timestamp(7)), &ids[..], none)).await.unwrap();
        assert_eq!(got, "w/1/7/a/b/null");
        let pair: Option<Pair> =
            optional(&mut c, "SELECT 'x' AS id, NULL AS preview WHERE $1 = 'w'", &ws).await.unwrap();
        let pair = pair.unwrap();
        assert_eq!((pair.id.as_str(), pair.preview), ("x", None));
        assert!(!one_changed(&mut c, "SELECT 1", ()).await.unwrap());
        execute(&mut c, "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)", ()).await.unwrap();
        insert(&mut c, &Note { id: ThreadId::from_db("n".into()), body: "hi".into() }).await.unwrap();
        let note: Note = find(&mut c, "WHERE id = $1", "n").await.unwrap().unwrap();
        assert_eq!((note.id.as_str(), note.body.as_str()), ("n", "hi"));
        drop(c);
        db.close().await;
        for end in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{end}", file.display()));
        }
    }
}
