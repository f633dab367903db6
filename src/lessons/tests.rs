use std::rc::Rc;

use super::*;
use crate::controller::{lesson_answer, plan, Input, LessonInput};
use crate::protocol::{FromWorker, ToWorker};
use crate::sim_worker::CommandLoop;
use crate::state::{Action, AppState};

/// The page in miniature, with every view drawn and the simulation run until it settles.
struct Reader {
    state: AppState,
    sim: CommandLoop,
}

impl Reader {
    fn new() -> Reader {
        Reader {
            state: AppState::default(),
            sim: CommandLoop::new(),
        }
    }

    fn input(&mut self, input: Input) {
        let p = plan(&self.state, input);
        for a in p.actions {
            self.state = self.state.clone().apply(a);
        }
        for c in p.commands {
            self.sim.handle(c);
        }
        self.settle();
    }

    /// Works until nothing is left, drawing every view; then reads a revealed answer.
    fn settle(&mut self) {
        let mut t = 0.0;
        let mut clock = move || {
            t += 0.5;
            t
        };
        for _ in 0..200_000 {
            if let Some(FromWorker::View { view, .. }) = self.sim.outbox() {
                self.state = self.state.clone().apply(Action::Show(Rc::new(*view)));
                self.sim.handle(ToWorker::Drawn);
            }
            if !self.sim.busy() && !self.sim.pending() {
                break;
            }
            self.sim.slice(&mut clock);
        }
        assert!(!self.sim.busy(), "the simulation settles");
        let view = self.state.view.clone();
        if let Some(a) = lesson_answer(&self.state, &view, true) {
            self.state = self.state.clone().apply(a);
        }
    }
}

#[test]
fn every_shipped_lesson_parses() {
    let lessons = all();
    assert_eq!(lessons.len(), SOURCES.len(), "every lesson parses");
    for (key, text) in SOURCES {
        parse(key, text).unwrap();
    }
    assert_eq!(find("3").unwrap().1.key, "pool");
    assert_eq!(find("blocking").unwrap().0, 3);
    assert!(find("0").is_none() && find("9").is_none() && find("nope").is_none());
}

#[test]
fn a_bad_lesson_says_which_line() {
    let e = parse("x", "# T\n## S\nprogram: nope\n").unwrap_err();
    assert_eq!(e, "x.md line 3: no preset \"nope\"");
    let e = parse("x", "# T\n## S\nprogram: server\ndo: dance\n").unwrap_err();
    assert!(
        e.starts_with("x.md line 4: \"dance\" is not an action"),
        "{e}"
    );
    let e = parse("x", "# T\n## S\nprogram: server\n? Q\n- a\nanswer: vibes\n").unwrap_err();
    assert!(e.contains("unknown answer \"vibes\""), "{e}");
    let e = parse("x", "# T\n## S\ndo: step 1\n").unwrap_err();
    assert!(e.contains("starts no program"), "{e}");
    let e = parse("x", "# T\n## S\nprogram: server\n? Q\n- only one\n").unwrap_err();
    assert!(e.contains("fewer than two options"), "{e}");
}

#[test]
fn numbers_grade_to_the_nearest_option_and_text_to_the_same_line() {
    let opts = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let o = opts(&["about 20 ms", "about 200 ms", "about 2 s"]);
    assert_eq!(grade(&AnswerKind::Latency(1), &o, "23.4"), Some(0));
    assert_eq!(grade(&AnswerKind::Latency(1), &o, "150"), Some(1));
    let o = opts(&["1", "200", "2,000"]);
    assert_eq!(grade(&AnswerKind::PeakThreads, &o, "1900"), Some(2));
    assert_eq!(grade(&AnswerKind::PeakThreads, &o, "not a number"), None);
    let o = opts(&["timeout", "promise 1"]);
    assert_eq!(grade(&AnswerKind::NextLine, &o, "promise 1"), Some(1));
    assert_eq!(grade(&AnswerKind::NextLine, &o, "nextTick 1"), None);
}

/// Plays `lesson` from its first step to its last, answering every question with its first
/// option; returns each question's (text, the model's answer, the option it makes right).
fn play(index: usize) -> Vec<(String, String, Option<usize>)> {
    let mut r = Reader::new();
    r.input(Input::Lesson(LessonInput::Open(index)));
    let mut answers = Vec::new();
    loop {
        let p = r.state.lesson.clone().expect("a lesson is open");
        if let Some(q) = p.current().and_then(|s| s.question.clone()) {
            r.input(Input::Lesson(LessonInput::Answer(0)));
            let asked = r.state.lesson.as_ref().unwrap().asked.clone().unwrap();
            let result = asked.result.expect("the model answered");
            answers.push((q.text.clone(), result.answer, result.correct));
        }
        if p.step + 1 == p.lesson.steps.len() {
            return answers;
        }
        r.input(Input::Lesson(LessonInput::Next));
        assert_eq!(r.state.lesson.as_ref().unwrap().step, p.step + 1);
    }
}

#[test]
fn every_question_is_answered_by_the_model_among_its_options_and_says_what_node_does() {
    let played: Vec<_> = (0..all().len()).map(play).collect();
    for (lesson, answers) in all().iter().zip(&played) {
        for (question, answer, correct) in answers {
            assert!(
                correct.is_some(),
                "{}: \"{question}\": the model says \"{answer}\", which no option matches",
                lesson.key
            );
        }
    }
    // The answers the lessons teach, computed by the model (the programs' outputs are real
    // Node's: tests/e2e/expected/).
    let [journey, phases, pool, blocking, ten] = &played[..] else {
        panic!("five lessons")
    };
    assert_eq!(
        journey[0].1, "0",
        "the query waits in epoll, not on the pool"
    );
    let latency: f64 = journey[1].1.parse().unwrap();
    assert!(
        (20.0..40.0).contains(&latency),
        "ten queries wait together: {latency}"
    );
    assert_eq!(phases[0].1, "nextTick 1");
    assert_eq!(phases[1].1, "promise inside a nextTick");
    assert_eq!(phases[2].1, "immediate (check phase, same iteration)");
    assert_eq!((pool[0].1.as_str(), pool[1].1.as_str()), ("4", "2"));
    assert_eq!(pool[2].1, "0", "six workers, six jobs");
    assert_eq!(blocking[0].1, "timer: ran at least 50 ms late");
    let latency: f64 = blocking[1].1.parse().unwrap();
    assert!(
        (65.0..90.0).contains(&latency),
        "50 ms of CPU then the query: {latency}"
    );
    let peak: u32 = ten[0].1.parse().unwrap();
    assert!(
        (100..200).contains(&peak),
        "1 GiB of 8 MiB stacks: {peak} threads"
    );
    assert_eq!(ten[0].2, Some(2));
}

#[test]
fn any_step_can_be_entered_directly_and_shows_the_same_run() {
    // Step 3 of the pool lesson, entered directly, equals walking there.
    let mut walked = Reader::new();
    walked.input(Input::Lesson(LessonInput::Open(2)));
    walked.input(Input::Lesson(LessonInput::Answer(1)));
    walked.input(Input::Lesson(LessonInput::Next));
    walked.input(Input::Lesson(LessonInput::Answer(1)));
    walked.input(Input::Lesson(LessonInput::Next));
    let mut direct = Reader::new();
    direct.input(Input::Lesson(LessonInput::Open(2)));
    direct.input(Input::Lesson(LessonInput::Step(2)));
    let (a, b) = (&walked.state.view, &direct.state.view);
    assert_eq!(a.steps, b.steps);
    assert_eq!(a.console, b.console);
    assert_eq!(a.workers, b.workers);
    // Prev goes back; a second answer to the same question is ignored.
    direct.input(Input::Lesson(LessonInput::Prev));
    assert_eq!(direct.state.lesson.as_ref().unwrap().step, 1);
    direct.input(Input::Lesson(LessonInput::Answer(0)));
    direct.input(Input::Lesson(LessonInput::Answer(1)));
    assert_eq!(
        direct
            .state
            .lesson
            .as_ref()
            .unwrap()
            .asked
            .as_ref()
            .unwrap()
            .choice,
        0
    );
    direct.input(Input::Lesson(LessonInput::Close));
    assert!(direct.state.lesson.is_none());
}

#[test]
fn stop_during_a_reveal_opens_the_question_again() {
    let mut r = Reader::new();
    r.input(Input::Lesson(LessonInput::Open(1)));
    let p = plan(&r.state, Input::Lesson(LessonInput::Answer(0)));
    for a in p.actions {
        r.state = r.state.clone().apply(a);
    }
    assert!(r.state.lesson.as_ref().unwrap().revealing());
    r.state = r.state.clone().apply(Action::Stopped("Stopped.".into()));
    let lesson = r.state.lesson.as_ref().unwrap();
    assert!(lesson.asked.is_none(), "the reader may answer again");
    // Loading another program closes the lesson: its questions would be about that one.
    r.input(Input::LoadPreset("blocked-loop"));
    assert!(r.state.lesson.is_none());
}
