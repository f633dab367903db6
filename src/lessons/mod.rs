//! Guided lessons: short walks through a program, with predict-the-output questions whose
//! answers the model computes at run time.
//!
//! HOW: a lesson is a Markdown file in `src/lessons/` (the format is in `docs/lessons.md`):
//! `# Title`, then `## Step` sections, each with the program it starts (`program: <preset>` or
//! a fenced `js` block, `pool: N`), the actions that bring the run to the moment it talks about
//! (`do: step until phase poll`, `do: send 10 GET /users/:id`, `do: load users=2000 ...`), its
//! text, and optionally one question (`? What prints next?`, `- option` lines, `answer: next
//! line`, `reveal: step until exit`, `why: ...`). The author writes the options, never which
//! one is right: when the reader picks one, the page runs the reveal actions on the model and
//! reads the answer off the view ([`answer`]), then grades every option against it
//! ([`grade`]). Entering step k replays the lesson from the last step at or before k that
//! starts a program, running each step's actions (and the reveals of the questions before k),
//! so every step can be reached directly by link (`#lesson=3&step=2`).
//!
//! WHY Markdown and a small parser: authors (teachers) write prose; the format reads as a
//! document on GitHub; and the page ships no JSON or YAML library for it.

use crate::load_form::{LoadForm, Sender};
use crate::presets;
use crate::protocol::Condition;
use crate::view::View;

/// The lessons shipped, in order: (key, Markdown).
pub const SOURCES: [(&str, &str); 5] = [
    ("journey", include_str!("01-journey.md")),
    ("phases", include_str!("02-phases.md")),
    ("pool", include_str!("03-pool.md")),
    ("blocking", include_str!("04-blocking.md")),
    ("ten-thousand", include_str!("05-ten-thousand.md")),
];

/// A lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub key: &'static str,
    pub title: String,
    pub steps: Vec<Step>,
}

/// One step of a lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub title: String,
    /// The program this step starts (a new process), if it starts one.
    pub program: Option<Program>,
    pub pool: Option<u16>,
    /// What runs when the step is entered, in order.
    pub actions: Vec<Act>,
    /// Paragraphs.
    pub text: Vec<String>,
    pub question: Option<Question>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Program {
    Preset(&'static str),
    Source(String),
}

impl Program {
    pub fn source(&self) -> &str {
        match self {
            Program::Preset(key) => presets::preset(key).map_or("", |p| p.source),
            Program::Source(s) => s,
        }
    }
    pub fn preset(&self) -> Option<&'static str> {
        match self {
            Program::Preset(key) => Some(key),
            Program::Source(_) => None,
        }
    }
}

/// Something a lesson does to the run.
#[derive(Clone, Debug, PartialEq)]
pub enum Act {
    /// Step until the condition holds (or the program exits or waits for requests).
    Until(Condition),
    /// Step this many times.
    Steps(u32),
    /// Send `count` requests to a route of the program.
    Send {
        count: u32,
        method: String,
        pattern: String,
    },
    /// Start a load test with these fields (the rest as the Load pane's defaults).
    Load(LoadForm),
}

/// A predict question.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub text: String,
    pub options: Vec<String>,
    pub answer: AnswerKind,
    /// What runs after the reader answers, to find out (nothing: the answer is in the view
    /// already).
    pub reveal: Vec<Act>,
    /// Why, shown once answered.
    pub why: String,
}

/// How the model answers a question.
#[derive(Clone, Debug, PartialEq)]
pub enum AnswerKind {
    /// The first console line printed during the reveal.
    NextLine,
    /// Of the options, the one printed first during the reveal.
    FirstLine,
    /// Thread-pool workers busy after the reveal.
    BusyWorkers,
    /// Jobs waiting in the pool's queue after the reveal.
    PoolWaiting,
    /// The loop phase after the reveal.
    Phase,
    /// The latency (ms) of request number N.
    Latency(u64),
    /// The most threads the thread-per-request server ran in the load test.
    PeakThreads,
}

impl AnswerKind {
    fn numeric(&self) -> bool {
        matches!(
            self,
            AnswerKind::BusyWorkers
                | AnswerKind::PoolWaiting
                | AnswerKind::Latency(_)
                | AnswerKind::PeakThreads
        )
    }
}

/// Every shipped lesson, parsed once (a lesson that does not parse is a bug the native tests
/// catch; it is left out here rather than breaking the page).
pub fn all() -> &'static [Lesson] {
    static ALL: std::sync::OnceLock<Vec<Lesson>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        SOURCES
            .iter()
            .filter_map(|(key, text)| parse(key, text).ok())
            .collect()
    })
}

/// The lesson with this key, or at this 1-based number.
pub fn find(key_or_number: &str) -> Option<(usize, Lesson)> {
    let lessons = all();
    let index = match key_or_number.parse::<usize>() {
        Ok(n) if (1..=lessons.len()).contains(&n) => n - 1,
        Ok(_) => return None,
        Err(_) => lessons.iter().position(|l| l.key == key_or_number)?,
    };
    lessons.get(index).map(|l| (index, l.clone()))
}

/// Reads a lesson, or says which line is wrong.
pub fn parse(key: &'static str, text: &str) -> Result<Lesson, String> {
    let mut title = None;
    let mut steps: Vec<Step> = Vec::new();
    let mut paragraph = String::new();
    let mut code: Option<String> = None;
    let mut in_question = false;
    let flush = |steps: &mut Vec<Step>, paragraph: &mut String| {
        if let (Some(step), false) = (steps.last_mut(), paragraph.trim().is_empty()) {
            step.text.push(paragraph.trim().to_owned());
        }
        paragraph.clear();
    };
    for (i, line) in text.lines().enumerate() {
        let at = |why: &str| format!("{key}.md line {}: {why}", i + 1);
        if let Some(code_text) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                let step = steps
                    .last_mut()
                    .ok_or_else(|| at("a program outside a step"))?;
                step.program = Some(Program::Source(std::mem::take(code_text)));
                code = None;
            } else {
                code_text.push_str(line);
                code_text.push('\n');
            }
            continue;
        }
        let trimmed = line.trim();
        if let Some(t) = trimmed.strip_prefix("## ") {
            flush(&mut steps, &mut paragraph);
            in_question = false;
            steps.push(Step {
                title: t.to_owned(),
                program: None,
                pool: None,
                actions: Vec::new(),
                text: Vec::new(),
                question: None,
            });
            continue;
        }
        if let Some(t) = trimmed.strip_prefix("# ") {
            title = Some(t.to_owned());
            continue;
        }
        if trimmed.starts_with("```") {
            flush(&mut steps, &mut paragraph);
            code = Some(String::new());
            continue;
        }
        let step = match steps.last_mut() {
            Some(s) => s,
            None if trimmed.is_empty() => continue,
            None => return Err(at("text before the first `## step`")),
        };
        if let Some(q) = trimmed.strip_prefix("? ") {
            flush(&mut steps, &mut paragraph);
            let step = steps
                .last_mut()
                .ok_or_else(|| at("a question outside a step"))?;
            if step.question.is_some() {
                return Err(at("a step has one question at most"));
            }
            step.question = Some(Question {
                text: q.to_owned(),
                options: Vec::new(),
                answer: AnswerKind::NextLine,
                reveal: Vec::new(),
                why: String::new(),
            });
            in_question = true;
            continue;
        }
        if in_question {
            let q = step.question.as_mut().ok_or_else(|| at("no question"))?;
            if let Some(o) = trimmed.strip_prefix("- ") {
                q.options.push(o.to_owned());
                continue;
            }
            if let Some(a) = trimmed.strip_prefix("answer: ") {
                q.answer = answer_kind(a).ok_or_else(|| at(&format!("unknown answer \"{a}\"")))?;
                continue;
            }
            if let Some(a) = trimmed.strip_prefix("reveal: ") {
                q.reveal.push(act(a).map_err(|e| at(&e))?);
                continue;
            }
            if let Some(w) = trimmed.strip_prefix("why: ") {
                q.why = w.to_owned();
                continue;
            }
            if trimmed.is_empty() {
                continue;
            }
            return Err(at(
                "after a question: `- option`, `answer:`, `reveal:` or `why:`",
            ));
        }
        if let Some(p) = trimmed.strip_prefix("program: ") {
            let preset = presets::preset(p).ok_or_else(|| at(&format!("no preset \"{p}\"")))?;
            step.program = Some(Program::Preset(preset.key));
        } else if let Some(n) = trimmed.strip_prefix("pool: ") {
            step.pool = Some(
                n.parse::<u16>()
                    .ok()
                    .filter(|n| (1..=16).contains(n))
                    .ok_or_else(|| at("pool is 1 to 16"))?,
            );
        } else if let Some(a) = trimmed.strip_prefix("do: ") {
            step.actions.push(act(a).map_err(|e| at(&e))?);
        } else if trimmed.is_empty() {
            flush(&mut steps, &mut paragraph);
        } else {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(trimmed);
        }
    }
    flush(&mut steps, &mut paragraph);
    let title = title.ok_or(format!("{key}.md: no `# title`"))?;
    if steps.first().is_none_or(|s| s.program.is_none()) {
        return Err(format!("{key}.md: the first step starts no program"));
    }
    for s in &steps {
        if let Some(q) = &s.question {
            if q.options.len() < 2 {
                return Err(format!(
                    "{key}.md: \"{}\" has fewer than two options",
                    q.text
                ));
            }
        }
    }
    Ok(Lesson { key, title, steps })
}

fn answer_kind(a: &str) -> Option<AnswerKind> {
    Some(match a {
        "next line" => AnswerKind::NextLine,
        "first line" => AnswerKind::FirstLine,
        "busy workers" => AnswerKind::BusyWorkers,
        "pool waiting" => AnswerKind::PoolWaiting,
        "phase" => AnswerKind::Phase,
        "peak threads" => AnswerKind::PeakThreads,
        _ => AnswerKind::Latency(a.strip_prefix("latency of request ")?.parse().ok()?),
    })
}

/// One action, from its words.
fn act(a: &str) -> Result<Act, String> {
    let words: Vec<&str> = a.split_whitespace().collect();
    let rest = |n: usize| words.get(n..).map(|w| w.join(" ")).unwrap_or_default();
    Ok(match words.as_slice() {
        ["play", "until", "listening"] => Act::Until(Condition::Listening),
        ["step", "until", "phase", p] => Act::Until(Condition::Phase((*p).to_owned())),
        ["step", "until", "line", ..] => Act::Until(Condition::Line(rest(3))),
        ["step", "until", "new", "line"] => Act::Until(Condition::Line(String::new())),
        ["step", "until", "callback", ..] => Act::Until(Condition::Callback(rest(3))),
        ["step", "until", "done"] => Act::Until(Condition::RequestsDone),
        ["step", "until", "exit"] => Act::Until(Condition::Exited),
        ["step", "until", "load", "done"] => Act::Until(Condition::LoadDone),
        ["step", n] => Act::Steps(n.parse().map_err(|_| format!("\"{n}\" is not a number"))?),
        ["send", n, method, pattern] => Act::Send {
            count: n.parse().map_err(|_| format!("\"{n}\" is not a number"))?,
            method: (*method).to_owned(),
            pattern: (*pattern).to_owned(),
        },
        ["load", fields @ ..] => {
            let mut form = LoadForm::default();
            for f in fields {
                let (k, v) = f
                    .split_once('=')
                    .ok_or(format!("\"{f}\" is not field=value"))?;
                match k {
                    "users" => {
                        form.sender = Sender::Users;
                        form.users = v.into()
                    }
                    "rate" => {
                        form.sender = Sender::Rate;
                        form.rate = v.into()
                    }
                    "think" => form.think_ms = v.into(),
                    "duration" => form.duration_s = v.into(),
                    "db" => form.db_latency_ms = v.into(),
                    "mix" => form.mix = v.replace('+', " "),
                    _ => return Err(format!("the Load pane has no field \"{k}\"")),
                }
            }
            Act::Load(form)
        }
        _ => return Err(format!("\"{a}\" is not an action (see docs/lessons.md)")),
    })
}

/// The model's answer to a question of `kind`, read off `view` (console lines counted from
/// `lines_before`, the count when the reader answered), as text.
pub fn answer(kind: &AnswerKind, options: &[String], view: &View, lines_before: usize) -> String {
    let new_lines = || {
        view.console
            .lines
            .iter()
            .filter(move |(n, _)| *n > lines_before)
            .map(|(_, l)| l.as_str())
    };
    match kind {
        AnswerKind::NextLine => new_lines().next().unwrap_or("(nothing printed)").to_owned(),
        AnswerKind::FirstLine => new_lines()
            .find(|l| options.iter().any(|o| o == l))
            .unwrap_or("(none of them printed)")
            .to_owned(),
        AnswerKind::BusyWorkers => view
            .workers
            .iter()
            .filter(|w| w.job.is_some())
            .count()
            .to_string(),
        AnswerKind::PoolWaiting => view.pool_queue.count.to_string(),
        AnswerKind::Phase => view
            .phase
            .map_or("the main script".to_owned(), |p| p.name().to_owned()),
        AnswerKind::Latency(id) => view
            .requests
            .rows
            .iter()
            .find(|r| r.id == *id)
            .map_or("(no such request)".to_owned(), |r| format!("{:.1}", r.ms)),
        AnswerKind::PeakThreads => view
            .load
            .as_ref()
            .and_then(|l| l.threads.as_ref())
            .and_then(|t| t.threads_peak)
            .map_or("(no thread server ran)".to_owned(), |n| n.to_string()),
    }
}

/// The option the model's `answer` makes right: the same text, or for a number, the option
/// whose number is nearest. None when no option matches (a lesson bug the tests catch).
pub fn grade(kind: &AnswerKind, options: &[String], answer: &str) -> Option<usize> {
    if kind.numeric() {
        let value: f64 = answer.parse().ok()?;
        let number = |o: &str| -> Option<f64> {
            let digits: String = o
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
                .filter(|c| *c != ',')
                .collect();
            digits.parse().ok()
        };
        options
            .iter()
            .enumerate()
            .filter_map(|(i, o)| Some((i, (number(o)? - value).abs())))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    } else {
        options.iter().position(|o| o.trim() == answer.trim())
    }
}

#[cfg(test)]
mod tests;
