//! How a program's failures are reported: the way Node prints them.
//!
//! An uncaught exception prints Node's report on stderr (where it was thrown, with the line
//! and a caret; the error as `util.inspect` shows it, its stack first) and ends the process
//! with status 1, unless a `process.on('uncaughtException')` listener takes it (status 7 if
//! that listener throws). A rejection nobody handles goes to 'unhandledRejection' listeners,
//! or is raised as an uncaught exception with origin 'unhandledRejection' (Node's default
//! `--unhandled-rejections=throw`). A syntax error is reported before the program runs. A
//! runaway loop stops with [`RUNAWAY_EXIT`](crate::RUNAWAY_EXIT) and says why.
//!
//! Positions: the program is compiled inside Node's module wrapper, written on its first line
//! so that line numbers stay the user's; a column on line 1 counts the wrapper. Positions boa
//! gives Rust (a syntax error, the throwing instruction of a `JsError`) are corrected by
//! [`user_column`]; the error stacks the Node layer writes (`js/internal/errors.js`) are
//! corrected there, with the same length (`host.wrapperLength`), and used as they are.

use boa_engine::builtins::promise::PromiseState;
use boa_engine::object::builtins::JsPromise;
use boa_engine::{js_string, JsError, JsString, JsValue};
use looplab_model::Stream;

use crate::{Engine, LAYER_PATH, NODE_VERSION_FOOTER, RUNAWAY_EXIT, WRAPPER_HEAD};

/// Where an uncaught exception came from, as Node names it for 'uncaughtException' listeners.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    Exception,
    Rejection,
}

impl Origin {
    fn name(self) -> &'static str {
        match self {
            Origin::Exception => "uncaughtException",
            Origin::Rejection => "unhandledRejection",
        }
    }
}

impl Engine {
    /// Node's `processPromiseRejections` in the default `--unhandled-rejections=throw` mode: each
    /// rejection still unhandled at the end of the checkpoint goes to the 'unhandledRejection'
    /// listeners, or, with none, is raised as an uncaught exception (origin
    /// 'unhandledRejection'), which ends the process unless an 'uncaughtException' listener
    /// takes it.
    pub(crate) fn process_rejections(&mut self) {
        let pending = std::mem::take(&mut self.shared.borrow_mut().unhandled);
        for p in pending {
            if self.exited().is_some() {
                return;
            }
            let Ok(jp) = JsPromise::from_object(p.clone()) else {
                continue;
            };
            let PromiseState::Rejected(reason) = jp.state() else {
                continue;
            };
            let raised = self.unhandled_rejection.call(
                &JsValue::undefined(),
                &[reason.clone(), JsValue::from(p)],
                &mut self.ctx,
            );
            match raised {
                Ok(v) if v.is_null() => {}
                Ok(err) => {
                    let wrapped = !JsValue::same_value(&err, &reason);
                    let report = if wrapped {
                        self.wrapped_rejection_report(&err)
                    } else {
                        None
                    };
                    if !self.raise(err, Origin::Rejection, report, None) {
                        return;
                    }
                }
                Err(e) => return self.uncaught(e),
            }
        }
    }

    /// An exception thrown by a callback and not caught.
    pub(crate) fn uncaught(&mut self, e: JsError) {
        if self.shared.borrow().exit_requested || self.exited().is_some() {
            return; // process.exit() unwinding, or the process is already gone
        }
        if let Some(boa_engine::EngineError::RuntimeLimit(limit)) = e.as_engine() {
            let msg = match (limit, crate::watchdog::over_budget()) {
                (boa_engine::error::RuntimeLimitError::Interrupted, Some((label, line, ms))) => {
                    let at = line.map(|l| format!(" at line {l}")).unwrap_or_default();
                    format!(
                        "Looplab stopped the program: {label}{at} ran for {:.1} s without returning to the event loop \
                         (a callback's time budget is {} s; the page's \"Keep running\" and the CLI's --budget give it longer).\n\
                         A real Node.js process would still be running it, with every timer, request and callback waiting behind it.\n",
                        ms / 1000.0,
                        crate::watchdog::budget() / 1000.0,
                    )
                }
                _ => format!(
                    "Looplab stopped the program: {}.\nA loop or a recursion ran without ever returning to the event loop; a real Node.js \
                     process would be stuck here forever, with every timer, request and callback waiting behind it.\n",
                    e.to_string().lines().next().unwrap_or("a runaway loop").trim_start_matches("RuntimeLimitError: ")
                ),
            };
            self.fail(&msg, RUNAWAY_EXIT);
            return;
        }
        let value = match e.as_opaque() {
            Some(v) => v.clone(),
            None => match e.clone().into_opaque(&mut self.ctx) {
                Ok(v) => v,
                Err(_) => {
                    self.fail(&format!("Uncaught {e}\n"), 1);
                    return;
                }
            },
        };
        self.raise(value, Origin::Exception, None, Some(&e));
    }

    /// Node's `triggerUncaughtException`: 'uncaughtExceptionMonitor' and 'uncaughtException'
    /// listeners get the error with its origin; with none, the report is printed and the
    /// process ends with status 1 (7 when a listener itself throws). Returns whether the
    /// process goes on.
    fn raise(
        &mut self,
        err: JsValue,
        origin: Origin,
        report: Option<String>,
        thrown: Option<&JsError>,
    ) -> bool {
        let handled = self.emit_uncaught.call(
            &JsValue::undefined(),
            &[err.clone(), JsString::from(origin.name()).into()],
            &mut self.ctx,
        );
        match handled {
            Ok(v) if v.to_boolean() => return self.exited().is_none(),
            Ok(_) => {}
            Err(e2) => {
                // A listener threw: Node reports that error and gives up, with status 7.
                if self.shared.borrow().exit_requested || self.exited().is_some() {
                    return false;
                }
                let v = e2
                    .as_opaque()
                    .cloned()
                    .or_else(|| e2.clone().into_opaque(&mut self.ctx).ok())
                    .unwrap_or_default();
                let report = self.error_report(&v, Some(&e2));
                self.fail(&report, 7);
                return false;
            }
        }
        let report = match report {
            Some(r) => r,
            None => self.error_report(&err, thrown),
        };
        self.fail(&report, 1);
        false
    }

    /// What Node prints for a rejection whose reason is not an error (the reason wrapped in an
    /// UnhandledPromiseRejection, thrown from Node's own code).
    fn wrapped_rejection_report(&mut self, err: &JsValue) -> Option<String> {
        let message = err
            .as_object()?
            .get(js_string!("message"), &mut self.ctx)
            .ok()?
            .as_string()?
            .to_std_string_escaped();
        Some(format!(
            "node:internal/process/promises:389\n      new UnhandledPromiseRejection(reason);\n      ^\n\n\
             UnhandledPromiseRejection: {message}\n    at throwUnhandledRejectionsMode (node:internal/process/promises:389:7)\n    \
             at processPromiseRejections (node:internal/process/promises:470:17)\n    \
             at process.processTicksAndRejections (node:internal/process/task_queues:96:32) {{\n  \
             code: 'ERR_UNHANDLED_REJECTION'\n}}\n"
        ))
    }

    /// Node's report of an uncaught exception: where it was thrown (the line, a caret under the
    /// place), then the error as `util.inspect` shows it (its stack, and its own properties).
    ///
    /// The place: for an exception thrown by a callback (`thrown`), where it was thrown, from
    /// the throwing instruction's position that boa records in the `JsError`; a `throw`
    /// statement is shown at its `throw` keyword, as V8 does. For a rejection, where the error
    /// was made (its stack's first frame in the program), as Node does.
    fn error_report(&mut self, value: &JsValue, thrown: Option<&JsError>) -> String {
        let is_error = value
            .as_object()
            .is_some_and(|o| o.is::<boa_engine::builtins::error::Error>());
        let shown = self
            .format_error
            .call(&JsValue::undefined(), &[value.clone()], &mut self.ctx)
            .ok()
            .and_then(|v| v.as_string().map(|s| s.to_std_string_escaped()))
            .unwrap_or_else(|| value.display().to_string());
        // Thrown by the Node layer where Node's own code throws: Node's line.
        let node_site = match thrown {
            Some(e) if thrown_by_layer(e) => self
                .node_throw_site
                .call(&JsValue::undefined(), &[value.clone()], &mut self.ctx)
                .ok()
                .and_then(|v| v.as_string().map(|s| s.to_std_string_escaped())),
            _ => None,
        };
        let place = match thrown {
            Some(e) => throw_position(e, &self.filename).map(|(line, col)| {
                let col = user_column(line, col);
                if e.as_native().is_none() {
                    throw_keyword_before(&self.source, line, col).unwrap_or((line, col))
                } else {
                    (line, col)
                }
            }),
            None => {
                let stack = value
                    .as_object()
                    .and_then(|o| o.get(js_string!("stack"), &mut self.ctx).ok())
                    .and_then(|v| v.as_string().map(|s| s.to_std_string_escaped()))
                    .unwrap_or_default();
                // The Node layer's stack already counts the user's columns.
                first_position(&stack, &self.filename)
            }
        };
        let mut out = String::new();
        if !is_error {
            // Node prints a thrown non-error after an empty line, right under the caret.
            out.push('\n');
        }
        let block = match (node_site, place) {
            (Some(site), _) => Some(site),
            (None, Some((line, col))) => {
                Some(location_block(&self.filename, &self.source, line, col))
            }
            (None, None) => None,
        };
        if let Some(block) = block {
            out.push_str(&block);
            if is_error {
                out.push('\n');
            }
        }
        out.push_str(&shown);
        out.push('\n');
        if !is_error && !value.is_object() {
            out.push_str(
                "(Use `node --trace-uncaught ...` to show where the exception was thrown)\n",
            );
        }
        out
    }

    pub(crate) fn fail(&mut self, report: &str, code: i32) {
        let mut s = self.shared.borrow_mut();
        s.write(Stream::Stderr, report);
        if code != RUNAWAY_EXIT {
            s.write(Stream::Stderr, NODE_VERSION_FOOTER);
        }
        s.sim.exit(code);
    }
}

/// Where a `JsError` was thrown: the innermost frame in the user's file of the backtrace boa
/// captured at the throwing instruction (its `Display` ends with `    at name (path:L:C)`
/// lines), as the compiled module counts columns.
fn throw_position(e: &JsError, filename: &str) -> Option<(usize, usize)> {
    let text = e.to_string();
    let frames = text
        .lines()
        .skip_while(|l| !l.starts_with("    at "))
        .collect::<Vec<_>>()
        .join("\n");
    first_position(&frames, filename)
}

/// Whether the innermost frame of the throwing instruction is in the Node layer.
fn thrown_by_layer(e: &JsError) -> bool {
    let text = e.to_string();
    text.lines()
        .find(|l| l.starts_with("    at "))
        .is_some_and(|l| l.contains(&format!("({LAYER_PATH}:")))
}

/// V8 reports a `throw` statement at its keyword; boa at the thrown expression. If the text
/// before (line, col) is `throw` and blanks, the keyword's place.
fn throw_keyword_before(source: &str, line: usize, col: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut l = line.checked_sub(1)?;
    let mut text: Vec<char> = lines.get(l)?.chars().take(col.saturating_sub(1)).collect();
    loop {
        while text.last().is_some_and(|c| c.is_whitespace()) {
            text.pop();
        }
        if !text.is_empty() {
            break;
        }
        // The thrown expression starts a line: the keyword may end the line before.
        l = l.checked_sub(1)?;
        text = lines.get(l)?.chars().collect();
    }
    let n = text.len();
    let keyword: Vec<char> = "throw".chars().collect();
    if n < 5 || text[n - 5..] != keyword[..] {
        return None;
    }
    if n > 5 && (text[n - 6].is_alphanumeric() || text[n - 6] == '_' || text[n - 6] == '$') {
        return None;
    }
    Some((l + 1, n - 4))
}

/// `path:LINE:COL` of the first stack frame in the user's file.
fn first_position(stack: &str, filename: &str) -> Option<(usize, usize)> {
    for line in stack.lines() {
        if let Some(i) = line.find(filename) {
            let rest = &line[i + filename.len()..];
            let mut parts = rest
                .trim_start_matches(':')
                .split(|c: char| c == ':' || c == ')');
            let l = parts.next()?.parse().ok()?;
            let c = parts.next()?.parse().ok()?;
            return Some((l, c));
        }
    }
    None
}

/// A column (1-based) as the compiled module reports it, as the user counts it: on line 1 the
/// module wrapper comes first.
pub(crate) fn user_column(line: usize, col: usize) -> usize {
    if line == 1 {
        col.saturating_sub(WRAPPER_HEAD.len()).max(1)
    } else {
        col
    }
}

/// The source line with a caret under the user's column `col`, as Node prints above an
/// uncaught error.
fn location_block(filename: &str, source: &str, line: usize, col: usize) -> String {
    let text = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
    format!(
        "{filename}:{line}\n{text}\n{}^\n",
        " ".repeat(col.saturating_sub(1))
    )
}

/// boa reports "... at line L, col C"; Node prints the place, the line and a caret.
pub(crate) fn syntax_error_report(message: &str, filename: &str, source: &str) -> String {
    let msg = message
        .trim_start_matches("SyntaxError: ")
        .trim_end_matches(" (native)");
    let (text, pos) = match msg.rfind(" at line ") {
        Some(i) => {
            let pos = &msg[i + 9..];
            let mut it = pos.split(", col ");
            let line = it.next().and_then(|l| l.trim().parse::<usize>().ok());
            let col = it.next().and_then(|c| c.trim().parse::<usize>().ok());
            (&msg[..i], line.zip(col))
        }
        None => (msg, None),
    };
    match pos {
        Some((line, col)) => {
            let col = user_column(line, col);
            let lines: Vec<&str> = source.lines().collect();
            let line = line.min(lines.len().max(1));
            format!(
                "{}\nSyntaxError: {} (line {line}, column {col})\n",
                location_block(filename, source, line, col).trim_end(),
                capitalize(text)
            )
        }
        None => format!("{filename}\nSyntaxError: {}\n", capitalize(text)),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The column the caret line points at (1-based).
    fn caret_column(report: &str) -> usize {
        let caret = report
            .lines()
            .find(|l| l.trim() == "^")
            .expect("a caret line");
        caret.len()
    }

    #[test]
    fn a_syntax_error_on_line_one_puts_the_caret_under_the_users_column() {
        // boa counts the module wrapper on line 1: column 9 of the user's line is this.
        let col = WRAPPER_HEAD.len() + 11;
        let msg = format!("SyntaxError: unexpected token ';' at line 1, col {col}");
        let report = syntax_error_report(&msg, "/app/x.js", "const x = ;\n");
        assert!(report.contains("(line 1, column 11)"), "{report}");
        assert_eq!(caret_column(&report), 11, "{report}");
        let line = report.lines().nth(1).unwrap();
        assert_eq!(&line[10..11], ";", "the caret is under the ';'");
    }

    #[test]
    fn a_syntax_error_on_a_later_line_is_not_shifted() {
        let msg = "SyntaxError: unexpected token at line 2, col 5";
        let report = syntax_error_report(msg, "/app/x.js", "let a = 1;\nlet = 2;\n");
        assert!(report.starts_with("/app/x.js:2\nlet = 2;\n"), "{report}");
        assert_eq!(caret_column(&report), 5, "{report}");
    }

    #[test]
    fn columns_are_corrected_once_and_never_below_one() {
        assert_eq!(user_column(1, WRAPPER_HEAD.len() + 3), 3);
        assert_eq!(user_column(1, 2), 1);
        assert_eq!(user_column(2, 7), 7);
    }
}
