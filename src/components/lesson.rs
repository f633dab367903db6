use yew::prelude::*;

use crate::controller::LessonInput;
use crate::state::LessonProgress;

#[derive(Properties, PartialEq)]
pub struct LessonProps {
    pub progress: LessonProgress,
    /// The simulation is still setting the step up (the options wait for it).
    #[prop_or_default]
    pub busy: bool,
    pub on_input: Callback<LessonInput>,
}

/// Text with its `code` spans.
fn inline(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 {
            html! { <code>{ part.to_owned() }</code> }
        } else {
            html! { { part.to_owned() } }
        }) }
    }
}

/// The lesson open: its step's text, its predict question, and the way through the steps.
#[function_component(LessonPane)]
pub fn lesson_pane(props: &LessonProps) -> Html {
    let p = &props.progress;
    let Some(step) = p.current() else {
        return html! {};
    };
    let total = p.lesson.steps.len();
    let emit = |input: LessonInput| props.on_input.reform(move |_: MouseEvent| input.clone());
    let question = step.question.as_ref().map(|q| {
        let asked = p.asked.as_ref();
        let result = asked.and_then(|a| a.result.as_ref());
        let locked = asked.is_some() || props.busy;
        let options = q.options.iter().enumerate().map(|(i, o)| {
            let chosen = asked.is_some_and(|a| a.choice == i);
            let right = result.is_some_and(|r| r.correct == Some(i));
            let class = classes!(
                "btn",
                "predict-option",
                chosen.then_some("chosen"),
                right.then_some("right"),
                (result.is_some() && chosen && !right).then_some("wrong"),
            );
            html! {
                <button
                    type="button"
                    {class}
                    data-testid="predict-option"
                    aria-pressed={chosen.to_string()}
                    aria-disabled={locked.to_string()}
                    onclick={if locked { Callback::noop() } else { emit(LessonInput::Answer(i)) }}
                >
                    { inline(o) }
                    if right { <span class="visually-hidden">{ " (the model's answer)" }</span> }
                </button>
            }
        });
        let verdict = match (asked, result) {
            (None, _) if props.busy => "Setting the step up…".to_owned(),
            (None, _) => "Pick your prediction: the model then runs the program to find out.".to_owned(),
            (Some(_), None) => "Running it on the model…".to_owned(),
            (Some(a), Some(r)) => {
                let said = match r.correct {
                    Some(i) => q.options[i].clone(),
                    None => r.answer.clone(),
                };
                let head = if r.correct == Some(a.choice) {
                    format!("Right: {said}.")
                } else {
                    format!("Not quite: the model says {said}.")
                };
                let measured = if said == r.answer {
                    String::new()
                } else {
                    format!(" (It measured {}.)", r.answer)
                };
                format!("{head}{measured} {}", q.why).trim().to_owned()
            }
        };
        html! {
            <div class="predict" role="group" aria-labelledby="predict-question">
                <p id="predict-question" class="predict-question" data-testid="predict-question">{ inline(&q.text) }</p>
                <div class="predict-options">{ for options }</div>
                <p class="predict-result" data-testid="predict-result" role="status" aria-live="polite"
                    data-state={match (asked, result) { (None, _) if props.busy => "busy", (None, _) => "open", (Some(_), None) => "running", (Some(a), Some(r)) => if r.correct == Some(a.choice) { "right" } else { "wrong" } }}>
                    { verdict }
                </p>
            </div>
        }
    });
    html! {
        <section class="pane pane-lesson" data-testid="lesson" aria-labelledby="lesson-title">
            <header class="pane-head">
                <h2 id="lesson-title">{ format!("Lesson {}: {}", p.index + 1, p.lesson.title) }</h2>
                <div class="lesson-nav">
                    <span class="lesson-progress" data-testid="lesson-progress">
                        { format!("Step {} of {total}", p.step + 1) }
                    </span>
                    <button type="button" class="btn" data-testid="lesson-prev" disabled={p.step == 0}
                        onclick={emit(LessonInput::Prev)}>{ "◀ Previous" }</button>
                    <button type="button" class="btn btn-primary" data-testid="lesson-next" disabled={p.step + 1 >= total}
                        onclick={emit(LessonInput::Next)}>{ "Next ▶" }</button>
                    <button type="button" class="btn" data-testid="lesson-close" aria-label="Close the lesson"
                        onclick={emit(LessonInput::Close)}>{ "✕" }</button>
                </div>
            </header>
            <div class="lesson-body">
                <h3 class="lesson-step">{ step.title.clone() }</h3>
                <div class="lesson-text" data-testid="lesson-text">
                    { for step.text.iter().map(|t| html! { <p>{ inline(t) }</p> }) }
                </div>
                { for question }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonSelectProps {
    /// The lesson open (its place in `lessons::all()`).
    pub current: Option<usize>,
    pub on_open: Callback<usize>,
}

/// The lesson picker: "Lessons…" and the shipped lessons, by number.
#[function_component(LessonSelect)]
pub fn lesson_select(props: &LessonSelectProps) -> Html {
    let lessons = crate::lessons::all();
    // The menu shows the lesson open, or "Lessons…" once it is closed (set as the property:
    // an option's `selected` attribute does not move the selection after the first render).
    let select = use_node_ref();
    {
        let select = select.clone();
        use_effect_with(props.current, move |current| {
            if let Some(el) = select.cast::<web_sys::HtmlSelectElement>() {
                el.set_value(&current.map(|i| i.to_string()).unwrap_or_default());
            }
        });
    }
    let on_open = props.on_open.clone();
    let onchange = Callback::from(move |e: Event| {
        let v = e
            .target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value();
        if let Ok(i) = v.parse::<usize>() {
            on_open.emit(i);
        }
    });
    html! {
        <select class="lesson-select" data-testid="lesson-select" aria-label="Guided lessons" ref={select} {onchange}>
            <option value="" selected={props.current.is_none()}>{ "Lessons…" }</option>
            { for lessons.iter().enumerate().map(|(i, l)| html! {
                <option value={i.to_string()} selected={props.current == Some(i)}>
                    { format!("{}. {}", i + 1, l.title) }
                </option>
            }) }
        </select>
    }
}
