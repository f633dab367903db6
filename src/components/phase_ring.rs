use yew::prelude::*;

use super::resize::use_resize;
use super::Pane;
use crate::catalog::{phase_test_id, Phase, PhaseSlot, PHASE_SLOTS};

#[derive(Properties, PartialEq)]
pub struct PhaseRingProps {
    /// The loop step being executed, highlighted on the ring.
    pub active: Option<Phase>,
    /// The main script runs (before the loop starts).
    pub in_main: bool,
    /// Loop iterations so far.
    pub iteration: u64,
    /// The virtual clock, as text.
    pub clock: AttrValue,
}

/// libuv's loop as a ring of its six phases, with the iteration count and clock in the middle.
#[function_component(PhaseRing)]
pub fn phase_ring(props: &PhaseRingProps) -> Html {
    let active = props.active;
    let ring = use_node_ref();
    // `--u` on the element is 1% of its shorter side, in px: the unit the ring is drawn in
    // (static/style.css says why this is not a container query).
    use_resize(ring.clone(), |el, rect| {
        let unit = rect.width().min(rect.height()) / 100.0;
        let _ = el.style().set_property("--u", &format!("{unit:.3}px"));
    });
    html! {
        <Pane title="Event loop" test_id="loop" class="pane-loop">
            <div class="ring-wrap" ref={ring} data-main={props.in_main.to_string()}>
                <ol class="ring" aria-label="Loop phases in the order libuv runs them">
                    { for PHASE_SLOTS.iter().enumerate().map(|(i, slot)| slot_view(i, slot, active)) }
                </ol>
                <div class="ring-center">
                    <div class="ring-stat" data-testid="loop-iteration" aria-label={format!("loop iteration {}", props.iteration)}>
                        <span class="stat-label">{ "iteration" }</span>
                        <span class="stat-value">{ props.iteration }</span>
                    </div>
                    <div class="ring-stat" data-testid="clock" aria-label={format!("virtual clock {}", props.clock)}>
                        <span class="stat-label">{ "clock" }</span>
                        <span class="stat-value stat-clock">{ props.clock.clone() }</span>
                    </div>
                    if props.in_main {
                        <span class="main-badge">{ "main script" }</span>
                    }
                </div>
            </div>
        </Pane>
    }
}

fn slot_view(index: usize, slot: &PhaseSlot, active: Option<Phase>) -> Html {
    let is_active = active.is_some_and(|a| slot.phases.contains(&a));
    let style = format!("--i: {index}");
    let current = is_active.then_some("step");
    let hint = html! { <span class="phase-hint">{ slot.hint }</span> };
    match slot.phases {
        [phase] => html! {
            <li
                class={classes!("phase", is_active.then_some("active"))}
                data-phase={slot.key}
                data-testid={phase_test_id(*phase)}
                data-active={is_active.to_string()}
                aria-current={current}
                {style}
            >
                <span class="phase-name">{ phase.name() }</span>
                { hint }
            </li>
        },
        phases => html! {
            <li
                class={classes!("phase", "phase-split", is_active.then_some("active"))}
                data-phase={slot.key}
                aria-current={current}
                {style}
            >
                <span class="phase-name">
                    { for phases.iter().enumerate().map(|(n, phase)| html! {
                        <>
                            if n > 0 { <span class="phase-sep" aria-hidden="true">{ " · " }</span> }
                            <span
                                class={classes!("subphase", (active == Some(*phase)).then_some("active"))}
                                data-testid={phase_test_id(*phase)}
                                data-active={(active == Some(*phase)).to_string()}
                            >
                                { phase.name() }
                            </span>
                        </>
                    }) }
                </span>
                { hint }
            </li>
        },
    }
}
