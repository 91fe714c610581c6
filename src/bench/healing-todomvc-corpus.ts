/**
 * The real-app healing corpus: the same TodoMVC app in two framework implementations (from the `todomvc`
 * registry package), "a plan learned on one implementation and run on another". Plain data, checked by
 * hand against each implementation's markup (index.html, templates, JSX):
 * every implementation names the app's parts with the same ids (#new-todo, #toggle-all, #todo-count,
 * #filters, #clear-completed, #todo-list) and each row holds `input.toggle`, `label` and `button.destroy`.
 * The bench checks at capture time that each truth resolves to exactly one element, on both sides.
 */

/** Where the element is: a CSS selector, or a control inside the row whose label reads `row`. */
export interface Truth {
  css: string;
  row?: string;
  /** The element's own text, when the selector matches several (vue's filters link to #/all, the others to #/). */
  text?: string;
}

export interface CorpusTarget {
  /** The step's description, as a plan learned on A carries it. */
  description: string;
  /** A role the step names (a hard filter in the engine), when it names one. */
  role?: string;
  truth: Truth;
}

export interface TodoState {
  /** Todos typed into the app, in this order. */
  todos: string[];
  /** Todos ticked off after typing. */
  completed: string[];
}

export interface CorpusPair {
  /** The implementation the plan was learned on and the one it is run on (examples/<name>/). */
  from: string;
  to: string;
  learned: TodoState;
  /** The state on B: rows reordered, some never added (their controls were removed). */
  run: TodoState;
}

const TODOS = ["Pay rent", "Buy oat milk", "Walk the dog", "Call mum"];

const rowTargets = (row: string): CorpusTarget[] => [
  { description: `toggle ${row}`, role: "checkbox", truth: { row, css: "input.toggle" } },
  { description: row, truth: { row, css: "label" } },
  { description: `delete ${row}`, role: "button", truth: { row, css: "button.destroy" } },
];

/** Every pair runs the same steps' targets; what is absent on B is a removed element and must be refused. */
export const TODOMVC_TARGETS: CorpusTarget[] = [
  { description: "What needs to be done?", truth: { css: "#new-todo" } },
  { description: "Mark all as complete", role: "checkbox", truth: { css: "#toggle-all" } },
  // The counter's number: react splits "1 item left" into three spans, the others keep one; all bold the number.
  { description: "number of items left", truth: { css: "#todo-count strong" } },
  { description: "All", truth: { css: "#filters a", text: "All" } },
  { description: "Active", truth: { css: "#filters a", text: "Active" } },
  { description: "Completed", truth: { css: "#filters a", text: "Completed" } },
  { description: "Clear completed", truth: { css: "#clear-completed" } },
  ...TODOS.flatMap(rowTargets),
];

export const TODOMVC_PAIRS: CorpusPair[] = [
  {
    // The case: vanillajs to react, rows moved, "Walk the dog" gone.
    from: "vanillajs",
    to: "react",
    learned: { todos: TODOS, completed: ["Buy oat milk"] },
    run: { todos: ["Call mum", "Buy oat milk", "Pay rent"], completed: ["Buy oat milk"] },
  },
  {
    // Nothing completed on B: "Clear completed" is not shown; "Pay rent" gone.
    from: "react",
    to: "vue",
    learned: { todos: TODOS, completed: ["Walk the dog"] },
    run: { todos: ["Walk the dog", "Call mum", "Buy oat milk"], completed: [] },
  },
  {
    from: "backbone",
    to: "angularjs",
    learned: { todos: TODOS, completed: ["Call mum"] },
    run: { todos: ["Call mum", "Pay rent", "Walk the dog"], completed: ["Call mum"] },
  },
  {
    from: "angularjs",
    to: "vanillajs",
    learned: { todos: TODOS, completed: ["Pay rent"] },
    run: { todos: ["Buy oat milk", "Walk the dog", "Pay rent"], completed: ["Pay rent"] },
  },
];

/**
 * Which targets are gone on B, by the rule of the app: a row's controls go with the row, and "Clear
 * completed" is shown only while something is completed. The bench checks the page agrees.
 */
export function removedOnRun(pair: CorpusPair, target: CorpusTarget): boolean {
  if (target.truth.row) return !pair.run.todos.includes(target.truth.row);
  if (target.truth.css === "#clear-completed") return pair.run.completed.length === 0;
  return false;
}
