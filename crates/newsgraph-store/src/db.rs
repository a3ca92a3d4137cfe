//! One SQL interface over the two backends, so that reads, exports and article rows are
//! written once.
//!
//! Statements are written in the SQL both SQLite and PostgreSQL accept, with SQLite's `?` and
//! `?N` placeholders; for PostgreSQL they are rewritten to `$N` once and prepared once per
//! connection. Values cross as [`Value`]s and come back as [`Col`]s, converted to the type a
//! caller asks for, so an `INTEGER` read as `i64` works whether the server says int4 or int8.
//! Where the dialects differ (full-text search, a few functions) callers branch on
//! [`Conn::is_postgres`].

use crate::{Error, Result};
use std::cell::RefCell;
use std::collections::HashMap;

/// A parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

pub(crate) trait ToValue {
    fn to_value(&self) -> Value;
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
impl ToValue for i64 {
    fn to_value(&self) -> Value {
        Value::Int(*self)
    }
}
impl ToValue for usize {
    fn to_value(&self) -> Value {
        Value::Int(*self as i64)
    }
}
impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}
impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

/// `args![a, b]`: the parameters of one statement.
macro_rules! args {
    ($($x:expr),* $(,)?) => { &[$($crate::db::ToValue::to_value(&$x)),*] as &[$crate::db::Value] };
}
pub(crate) use args;

/// One column of a result row, borrowed.
pub(crate) enum Col<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

pub(crate) trait FromCol: Sized {
    fn from_col(c: Col<'_>) -> Result<Self>;
}

fn mismatch(want: &str) -> Error {
    Error(format!("database: a column is not {want}"))
}

impl FromCol for i64 {
    fn from_col(c: Col<'_>) -> Result<Self> {
        match c {
            Col::Int(i) => Ok(i),
            _ => Err(mismatch("an integer")),
        }
    }
}
impl FromCol for f64 {
    fn from_col(c: Col<'_>) -> Result<Self> {
        match c {
            Col::Real(f) => Ok(f),
            Col::Int(i) => Ok(i as f64),
            _ => Err(mismatch("a number")),
        }
    }
}
impl FromCol for String {
    fn from_col(c: Col<'_>) -> Result<Self> {
        match c {
            Col::Text(s) => Ok(s.to_string()),
            Col::Blob(b) => String::from_utf8(b.to_vec()).map_err(|_| mismatch("text")),
            _ => Err(mismatch("text")),
        }
    }
}
impl FromCol for Vec<u8> {
    fn from_col(c: Col<'_>) -> Result<Self> {
        match c {
            Col::Blob(b) => Ok(b.to_vec()),
            Col::Text(s) => Ok(s.as_bytes().to_vec()),
            _ => Err(mismatch("bytes")),
        }
    }
}
impl<T: FromCol> FromCol for Option<T> {
    fn from_col(c: Col<'_>) -> Result<Self> {
        match c {
            Col::Null => Ok(None),
            c => T::from_col(c).map(Some),
        }
    }
}

/// A result row of either backend.
pub(crate) enum Row<'a> {
    Lite(&'a rusqlite::Row<'a>),
    Pg(&'a postgres::Row),
}

impl Row<'_> {
    pub fn get<T: FromCol>(&self, i: usize) -> Result<T> {
        T::from_col(self.get_col(i)?)
    }

    /// Column `i` as it is, borrowed from the row.
    pub fn get_col(&self, i: usize) -> Result<Col<'_>> {
        match self {
            Row::Lite(r) => {
                use rusqlite::types::ValueRef;
                Ok(match r.get_ref(i)? {
                    ValueRef::Null => Col::Null,
                    ValueRef::Integer(v) => Col::Int(v),
                    ValueRef::Real(v) => Col::Real(v),
                    ValueRef::Text(t) => Col::Text(std::str::from_utf8(t).map_err(|_| mismatch("UTF-8 text"))?),
                    ValueRef::Blob(b) => Col::Blob(b),
                })
            }
            Row::Pg(r) => pg_col(r, i),
        }
    }
}

fn pg_col(r: &postgres::Row, i: usize) -> Result<Col<'_>> {
    use postgres::types::Type;
    let ty = r.columns().get(i).ok_or_else(|| Error(format!("database: no column {i}")))?.type_().clone();
    let c = match ty {
        Type::INT8 => r.try_get::<_, Option<i64>>(i)?.map(Col::Int),
        Type::INT4 => r.try_get::<_, Option<i32>>(i)?.map(|v| Col::Int(v.into())),
        Type::INT2 => r.try_get::<_, Option<i16>>(i)?.map(|v| Col::Int(v.into())),
        Type::BOOL => r.try_get::<_, Option<bool>>(i)?.map(|v| Col::Int(v.into())),
        Type::FLOAT8 => r.try_get::<_, Option<f64>>(i)?.map(Col::Real),
        Type::FLOAT4 => r.try_get::<_, Option<f32>>(i)?.map(|v| Col::Real(v.into())),
        Type::BYTEA => r.try_get::<_, Option<&[u8]>>(i)?.map(Col::Blob),
        _ => r.try_get::<_, Option<&str>>(i)?.map(Col::Text),
    };
    Ok(c.unwrap_or(Col::Null))
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        match e.as_db_error() {
            Some(d) => Error(format!("database: {}: {}", d.severity(), d.message())),
            None => Error(format!("database: {e}")),
        }
    }
}

/// A parameter as PostgreSQL wants it: an integer goes as whichever integer type the server
/// inferred for its placeholder, so callers need not know int4 from int8.
#[derive(Debug)]
struct PgParam<'a>(&'a Value);

impl postgres::types::ToSql for PgParam<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::{IsNull, Type};
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// `?` and `?N` placeholders to PostgreSQL's `$N`, leaving quoted text alone.
pub(crate) fn pg_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 0usize;
    let mut quote: Option<char> = None;
    let mut it = sql.chars().peekable();
    while let Some(c) = it.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = it.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    it.next();
                }
                if digits.is_empty() {
                    next += 1;
                    out.push_str(&format!("${next}"));
                } else {
                    out.push('$');
                    out.push_str(&digits);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A PostgreSQL session with its prepared statements.
pub(crate) struct PgConn {
    pub client: RefCell<postgres::Client>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
}

impl PgConn {
    pub fn new(client: postgres::Client) -> PgConn {
        PgConn { client: RefCell::new(client), statements: RefCell::new(HashMap::new()) }
    }

    fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let s = self
            .client
            .try_borrow_mut()
            .map_err(|_| Error("database: a query while another is being read".into()))?
            .prepare(&pg_placeholders(sql))?;
        let mut cache = self.statements.borrow_mut();
        // Dynamic searches make many shapes of statement; keep the cache bounded.
        if cache.len() >= 256 {
            cache.clear();
        }
        cache.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    fn rows(&self, sql: &str, args: &[Value]) -> Result<Vec<postgres::Row>> {
        let stmt = self.statement(sql)?;
        let params: Vec<PgParam<'_>> = args.iter().map(PgParam).collect();
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn postgres::types::ToSql + Sync)).collect();
        Ok(self.client.borrow_mut().query(&stmt, &refs)?)
    }
}

/// A connection to either backend.
pub(crate) enum Conn {
    Lite(rusqlite::Connection),
    /// Boxed: a PostgreSQL client is several times the size of an SQLite handle.
    Pg(Box<PgConn>),
}

/// Bound by reference: an article's text and its deflated copy are not copied again to be
/// written.
impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

impl Conn {
    pub fn is_postgres(&self) -> bool {
        matches!(self, Conn::Pg(_))
    }

    /// Calls `f` on each row as it is read.
    pub fn query_each(&self, sql: &str, args: &[Value], f: &mut dyn FnMut(&Row<'_>) -> Result<()>) -> Result<()> {
        match self {
            Conn::Lite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
                while let Some(r) = rows.next()? {
                    f(&Row::Lite(r))?;
                }
                Ok(())
            }
            Conn::Pg(p) => {
                // Streamed, so that an export of a large store holds one row at a time; `f` must
                // not query meanwhile (none does: a nested query is an error, not a wait).
                use postgres::fallible_iterator::FallibleIterator;
                let stmt = p.statement(sql)?;
                let mut client = p
                    .client
                    .try_borrow_mut()
                    .map_err(|_| Error("database: a query while another is being read".into()))?;
                let mut rows = client.query_raw(&stmt, args.iter().map(PgParam))?;
                while let Some(r) = rows.next()? {
                    f(&Row::Pg(&r))?;
                }
                Ok(())
            }
        }
    }

    pub fn query_map<T>(&self, sql: &str, args: &[Value], mut f: impl FnMut(&Row<'_>) -> Result<T>) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.query_each(sql, args, &mut |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row, if any.
    pub fn query_opt<T>(&self, sql: &str, args: &[Value], f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<Option<T>> {
        match self {
            Conn::Lite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
                match rows.next()? {
                    Some(r) => f(&Row::Lite(r)).map(Some),
                    None => Ok(None),
                }
            }
            Conn::Pg(p) => match p.rows(sql, args)?.first() {
                Some(r) => f(&Row::Pg(r)).map(Some),
                None => Ok(None),
            },
        }
    }

    pub fn query_one<T>(&self, sql: &str, args: &[Value], f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        self.query_opt(sql, args, f)?.ok_or_else(|| Error("database: query returned no rows".into()))
    }

    pub fn execute(&self, sql: &str, args: &[Value]) -> Result<u64> {
        match self {
            Conn::Lite(c) => Ok(c.prepare_cached(sql)?.execute(rusqlite::params_from_iter(args.iter()))? as u64),
            Conn::Pg(p) => {
                let stmt = p.statement(sql)?;
                let params: Vec<PgParam<'_>> = args.iter().map(PgParam).collect();
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    params.iter().map(|p| p as &(dyn postgres::types::ToSql + Sync)).collect();
                Ok(p.client.borrow_mut().execute(&stmt, &refs)?)
            }
        }
    }

    /// An `INSERT` of one row into a table keyed by `n`; returns the row's `n`. On SQLite this is
    /// the last inserted row id rather than `RETURNING n`: a statement with `RETURNING` opens a
    /// statement journal, and each one makes the full-text index write out what it holds in
    /// memory, so an ingest wrote one index segment per article instead of one per batch (and
    /// then merged them).
    pub fn insert_returning_n(&self, sql: &str, args: &[Value]) -> Result<i64> {
        match self {
            Conn::Lite(c) => {
                c.prepare_cached(sql)?.execute(rusqlite::params_from_iter(args.iter()))?;
                Ok(c.last_insert_rowid())
            }
            Conn::Pg(_) => self.query_one(&format!("{sql} RETURNING n"), args, |r| r.get(0)),
        }
    }

    /// Statements without parameters, separated by semicolons.
    pub fn batch(&self, sql: &str) -> Result<()> {
        match self {
            Conn::Lite(c) => Ok(c.execute_batch(sql)?),
            Conn::Pg(p) => Ok(p.client.borrow_mut().batch_execute(sql)?),
        }
    }

    /// Runs `f` in a transaction opened with `begin`: committed when it succeeds, rolled back
    /// when it fails, so the connection is never left inside one.
    pub fn transaction<T>(&self, begin: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        self.batch(begin)?;
        match f().and_then(|v| self.batch("COMMIT").map(|_| v)) {
            Ok(v) => Ok(v),
            Err(e) => {
                let _ = self.batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// A long text as stored: deflated in SQLite; plain in PostgreSQL, which compresses large
    /// values itself (TOAST).
    pub fn pack(&self, text: &str) -> Value {
        match self {
            Conn::Lite(_) => Value::Blob(crate::zip(text)),
            Conn::Pg(_) => Value::Text(text.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered() {
        assert_eq!(pg_placeholders("a = ? AND b = ? LIMIT ?"), "a = $1 AND b = $2 LIMIT $3");
        assert_eq!(pg_placeholders("a = ?2 OR b = ?1"), "a = $2 OR b = $1");
        assert_eq!(pg_placeholders("x = '?' AND \"q?\" = ?"), "x = '?' AND \"q?\" = $1");
    }
}
