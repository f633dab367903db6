//! How a program's failures are reported: the way Node prints them.
//!
//! An uncaught exception or an unhandled rejection prints Node's report on stderr (where it was
//! thrown, with the line and a caret; the error; its stack) and ends the process with status
//! 1, unless a `process.on('uncaughtException')` / `'unhandledRejection'` listener takes it. A
//! syntax error is reported before the program runs. A runaway loop stops with
//! [`RUNAWAY_EXIT`](crate::RUNAWAY_EXIT) and says why.
//!
//! Positions: the program is compiled inside Node's module wrapper, written on its first line
//! so that line numbers stay the user's; a column on line 1 counts the wrapper, and is
//! corrected exactly once, by [`user_column`], wherever a position comes from.

use boa_engine::builtins::promise::PromiseState;
use boa_engine::object::builtins::{JsArray, JsPromise};
use boa_engine::{js_string, JsError, JsValue};
use looplab_model::Stream;

use crate::{Engine, NODE_VERSION_FOOTER, RUNAWAY_EXIT, WRAPPER_HEAD};

impl Engine {
    /// Node's `processPromiseRejections`: a rejection still unhandled at the end of the
    /// checkpoint ends the process (the default `--unhandled-rejections=throw`).
    pub(crate) fn process_rejections(&mut self) {
        let pending = std::mem::take(&mut self.shared.borrow_mut().unhandled);
        let mut promises = Vec::new();
        let mut reasons = Vec::new();
        for p in pending {
            if let Ok(jp) = JsPromise::from_object(p.clone()) {
                if let PromiseState::Rejected(reason) = jp.state() {
                    promises.push(JsValue::from(p));
                    reasons.push(reason);
                }
            }
        }
        let Some(reason) = reasons.first().cloned() else {
            return;
        };
        let r = JsArray::from_iter(reasons, &mut self.ctx);
        let p = JsArray::from_iter(promises, &mut self.ctx);
        match self
            .emit_unhandled
            .call(&JsValue::undefined(), &[r.into(), p.into()], &mut self.ctx)
        {
            Ok(v) if v.to_boolean() => return,
            Ok(_) => {}
            Err(e) => return self.uncaught(e),
        }
        let report = if reason
            .as_object()
            .is_some_and(|o| o.is::<boa_engine::builtins::error::Error>())
        {
            self.error_report(&reason)
        } else {
            let shown = self.inspect(&reason);
            format!(
                "node:internal/process/promises:288\n            triggerUncaughtException(err, true /* fromPromise */);\n            ^\n\n\
                 [UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, \
                 or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason \"{shown}\".] {{\n  \
                 code: 'ERR_UNHANDLED_REJECTION'\n}}\n"
            )
        };
        self.fail(&report, 1);
    }

    pub(crate) fn uncaught(&mut self, e: JsError) {
        if self.shared.borrow().exit_requested || self.exited().is_some() {
            return; // process.exit() unwinding, or the process is already gone
        }
        if let Some(boa_engine::EngineError::RuntimeLimit(_)) = e.as_engine() {
            let msg = format!(
                "Looplab stopped the program: {}.\nA loop or a recursion ran without ever returning to the event loop; a real Node.js \
                 process would be stuck here forever, with every timer, request and callback waiting behind it.\n",
                e.to_string().lines().next().unwrap_or("a runaway loop").trim_start_matches("RuntimeLimitError: ")
            );
            self.fail(&msg, RUNAWAY_EXIT);
            return;
        }
        let thrown = e
            .as_opaque()
            .cloned()
            .or_else(|| e.clone().into_opaque(&mut self.ctx).ok());
        if let Some(err) = thrown {
            if !self.in_uncaught_handler {
                self.in_uncaught_handler = true;
                let handled = self
                    .emit_uncaught
                    .call(&JsValue::undefined(), &[err], &mut self.ctx);
                self.in_uncaught_handler = false;
                match handled {
                    Ok(v) if v.to_boolean() => return,
                    Ok(_) => {}
                    Err(e2) => return self.uncaught(e2),
                }
            }
        }
        let value = match e.try_native(&mut self.ctx) {
            Ok(native) if e.as_opaque().is_none() => {
                let v = JsError::from(native.clone())
                    .into_opaque(&mut self.ctx)
                    .unwrap_or(JsValue::undefined());
                v
            }
            _ => e.as_opaque().cloned().unwrap_or(JsValue::undefined()),
        };
        let report = if value.is_undefined() {
            format!("Uncaught {e}\n")
        } else {
            self.error_report(&value)
        };
        self.fail(&report, 1);
    }

    /// Node's report of an uncaught error: where it was thrown, the error, its stack.
    fn error_report(&mut self, value: &JsValue) -> String {
        let head = self
            .format_error
            .call(&JsValue::undefined(), &[value.clone()], &mut self.ctx)
            .ok()
            .and_then(|v| v.as_string().map(|s| s.to_std_string_escaped()))
            .unwrap_or_else(|| value.display().to_string());
        let stack = value
            .as_object()
            .and_then(|o| o.get(js_string!("stack"), &mut self.ctx).ok())
            .and_then(|v| v.as_string().map(|s| s.to_std_string_escaped()))
            .unwrap_or_default();
        let mut out = String::new();
        if let Some((line, col)) = first_position(&stack, &self.filename) {
            let col = user_column(line, col);
            out.push_str(&location_block(&self.filename, &self.source, line, col));
            out.push('\n');
        }
        if value
            .as_object()
            .is_some_and(|o| o.is::<boa_engine::builtins::error::Error>())
        {
            out.push_str(&head);
            out.push('\n');
            for l in stack.lines().filter(|l| !l.trim().is_empty()) {
                out.push_str(&l.replace(WRAPPER_HEAD, ""));
                out.push('\n');
            }
        } else {
            out.push_str(&format!("Uncaught {head}\n"));
        }
        out
    }

    /// `util.inspect(v)`, as Node shows a rejection reason.
    fn inspect(&mut self, v: &JsValue) -> String {
        self.inspect_fn
            .call(&JsValue::undefined(), &[v.clone()], &mut self.ctx)
            .ok()
            .and_then(|v| v.as_string().map(|s| s.to_std_string_escaped()))
            .unwrap_or_else(|| v.display().to_string())
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
