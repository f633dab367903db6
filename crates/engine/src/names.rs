//! Names the Node layer gives to callbacks and operations that a UI recognises.
//!
//! The page's captions say "request #3 arrived" or "the database's reply arrived" by matching
//! the label of the callback that ran or of the operation a watcher waits for. Those labels are
//! chosen by the JavaScript layer (`js/http.js`, `js/db.js`); they are defined here, once, and
//! handed to it as `host.names`, so the JavaScript and every Rust reader use the same strings.

/// The callback that runs a synthetic request's handler (the server's socket became readable).
pub const REQUEST_CALLBACK: &str = "onconnection (request)";
/// What a synthetic request's socket watcher waits for.
pub const REQUEST_OP: &str = "HTTP request";
/// The callback that runs when `db.query`'s reply arrives.
pub const QUERY_CALLBACK: &str = "onQueryReply";
/// What a query's socket watcher waits for.
pub const QUERY_OP: &str = "db.query";

/// (JavaScript property, value) pairs, as `host.names` gives them to the Node layer.
pub(crate) const FOR_JS: [(&str, &str); 4] = [
    ("requestCallback", REQUEST_CALLBACK),
    ("requestOp", REQUEST_OP),
    ("queryCallback", QUERY_CALLBACK),
    ("queryOp", QUERY_OP),
];
