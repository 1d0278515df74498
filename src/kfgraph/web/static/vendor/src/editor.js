// kfgraph's SPARQL editor: CodeMirror 6 with the legacy SPARQL mode, bundled
// into one file. Exposes window.KfgraphEditor.create(textarea, options).
import {EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
        drawSelection, highlightSpecialChars, Decoration} from "@codemirror/view";
import {EditorState, StateEffect, StateField} from "@codemirror/state";
import {StreamLanguage, syntaxHighlighting, HighlightStyle, bracketMatching,
        indentOnInput} from "@codemirror/language";
import {defaultKeymap, history, historyKeymap, indentWithTab} from "@codemirror/commands";
import {sparql as legacySparql} from "@codemirror/legacy-modes/mode/sparql";
import {tags as t} from "@lezer/highlight";

// The legacy mode calls IRIs and prefixed names both "atom", numbers "variable":
// tell them apart so analysts can see at a glance what is what.
const sparqlMode = Object.assign({}, legacySparql, {
  token(stream, state) {
    const style = legacySparql.token(stream, state);
    const text = stream.current();
    if (style === "atom" && text.startsWith("<")) return "url";
    if (style === "variable" && /^[+-]?\d/.test(text)) return "number";
    return style;
  },
});

const highlight = HighlightStyle.define([
  {tag: t.keyword, color: "#8b1e6b", fontWeight: "600"},
  {tag: t.standard(t.variableName), color: "#0b6e4f"},
  {tag: [t.local(t.variableName)], color: "#1f5fbf"},
  {tag: t.url, color: "#6a4a00"},
  {tag: t.atom, color: "#7a3e00"},
  {tag: t.string, color: "#a12a1a"},
  {tag: t.number, color: "#005f87"},
  {tag: t.comment, color: "#5c6670", fontStyle: "italic"},
  {tag: t.meta, color: "#5c6670"},
  {tag: t.operator, color: "#3b3b3b"},
]);

const setError = StateEffect.define();
const errorField = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    // An edit makes the old error position meaningless: drop the marks.
    marks = tr.docChanged ? Decoration.none : marks;
    for (const effect of tr.effects) {
      if (!effect.is(setError)) continue;
      const pos = effect.value;
      if (pos == null) { marks = Decoration.none; continue; }
      const line = tr.state.doc.line(pos.line);
      const from = Math.min(line.from + Math.max(pos.column - 1, 0), line.to);
      const to = Math.min(from + 1, line.to);
      const ranges = [Decoration.line({class: "cm-error-line"}).range(line.from)];
      if (to > from) ranges.push(Decoration.mark({class: "cm-error-mark"}).range(from, to));
      marks = Decoration.set(ranges, true);
    }
    return marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

function create(textarea, options) {
  options = options || {};
  const runKeys = [{key: "Mod-Enter", run: () => { if (options.onRun) options.onRun(); return true; }}];
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(),
        drawSelection(), indentOnInput(), bracketMatching(), highlightActiveLine(),
        StreamLanguage.define(sparqlMode), syntaxHighlighting(highlight), errorField,
        keymap.of([...runKeys, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({"aria-label": options.label || "SPARQL query",
                                         "aria-multiline": "true"}),
        EditorView.updateListener.of((u) => {
          if (!u.docChanged) return;
          textarea.value = u.state.doc.toString();
          if (options.onChange) options.onChange();
        }),
      ],
    }),
  });
  textarea.parentNode.insertBefore(view.dom, textarea.nextSibling);
  textarea.hidden = true;
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue(text) {
      view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: text}});
    },
    markError(line, column) {
      if (line < 1 || line > view.state.doc.lines) return;
      const pos = view.state.doc.line(line).from + Math.max(column - 1, 0);
      view.dispatch({effects: setError.of({line, column}),
                     selection: {anchor: Math.min(pos, view.state.doc.line(line).to)},
                     scrollIntoView: true});
    },
    clearError() { view.dispatch({effects: setError.of(null)}); },
    focus() { view.focus(); },
  };
}

window.KfgraphEditor = {create};
