/* The respondents' form: the page in front of the respondent, driven by the Session of
 * qengine.js (QEngine) over the compiled survey (QENGINE_SURVEY).
 *
 * It decides nothing about the survey: every answer goes to session.answer(), which
 * stores it or refuses it with the runtime's message; every redraw reads what the
 * session says is shown, with which wording and which problems. What is left here is
 * the furniture: pages and progress, reading inputs, showing messages at the right
 * moment, keeping progress in localStorage, downloading and posting the response.
 *
 * On a page sent by `qengine serve` (config.served) the server keeps the answers and
 * moves between pages: the script starts from the server's session, checks the page
 * and lets the form post it; Back and "Resume later" post as they are.
 */
(function () {
  "use strict";
  var Q = QEngine, spec = QENGINE_SURVEY, config = QENGINE_CONFIG, words = config.strings;
  var root = document.getElementById("qengine");
  var form = document.getElementById("qe-form");
  var storageKey = "qengine:" + spec.code + ":" + spec.fingerprint + ":" + config.format;
  document.documentElement.classList.replace("qe-nojs", "qe-js");

  var ui = {
    started: !spec.welcome,
    submitted: null, // the response, once submitted and until it is sent
    sent: false, // post_url acknowledged it: the end screen stays, the response is gone
    flagged: new Set(), // questions whose problems are on display (after a blocked Next)
    refused: new Map(), // input name -> {question, message, shown}: typed but not accepted
    notices: new Map(), // question -> message: a tick or click just refused (and undone)
    saved: false, // a served page showing the resume link
  };
  var session = null; // made at the end, once the page can show a defect
  /* What the last action drew, for tests and benchmarks: whole redraws so far, and the
     questions the last action drew (a click draws only what its answer changed). */
  var stats = { redraws: 0, drawn: [] };
  /* For tests: the counts, and a group's markup made as when its page is first shown. */
  window.QEngineForm = { stats: stats, build: function (group) { buildGroup(group); return sections[group] || null; } };

  // ---------------------------------------------------------------- elements
  function $(selector, within) { return (within || root).querySelector(selector); }
  function $$(selector, within) { return Array.prototype.slice.call((within || root).querySelectorAll(selector)); }
  var containers = {}, sections = {}, byCode = {};
  $$("[data-question]").forEach(function (el) { containers[el.dataset.question] = el; });
  $$("[data-group]").forEach(function (el) { sections[el.dataset.group] = el; });
  spec.questions.forEach(function (q) { byCode[q.code] = q; });

  /* The language's spacing, by the rules of qengine/renderers/typography.py: in French a
     no-break space before "? ! ; :", so that no line starts with "?". */
  var spacing = config.spacing.map(function (rule) { return [new RegExp(rule[0], "g"), rule[1]]; });
  function typeset(text) {
    return spacing.reduce(function (t, rule) { return t.replace(rule[0], rule[1]); }, text);
  }

  /* Every text the form shows goes through here (or typeset): survey text stays text. */
  var HIDDEN_WHEN_EMPTY = { help: true, prefix: true, suffix: true, description: true };
  var written = new WeakMap(); // element -> the text last set (reading the DOM costs more)
  function setText(el, text) {
    if (!el) return;
    var value = text === null || text === undefined ? "" : spacing.length ? typeset(String(text)) : String(text);
    if (written.get(el) === value) return;
    written.set(el, value);
    if (el.textContent !== value) el.textContent = value;
    if (HIDDEN_WHEN_EMPTY[el.getAttribute("data-text")]) show(el, value !== "");
  }
  function show(el, visible) { if (el && el.hidden === visible) el.hidden = !visible; }
  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }

  // ---------------------------------------------------------------- saving
  function restore() {
    if (config.served) return served(config.served);
    try {
      var saved = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      if (saved && saved.session) {
        ui.started = Boolean(saved.started) || !spec.welcome;
        ui.submitted = saved.submitted || null;
        return Q.Session.fromJSON(spec, saved.session);
      }
    } catch (err) {
      // Storage unavailable, saved by an older form, or answers that now fail: start afresh.
    }
    return new Q.Session(spec, { format: config.format });
  }
  /* The state of a served page: its session, its screen, the problems the server found. */
  function served(state) {
    ui.started = state.screen !== "welcome";
    ui.saved = state.screen === "saved";
    ui.submitted = state.response;
    state.flagged.forEach(function (code) { ui.flagged.add(code); });
    Object.keys(state.refused).forEach(function (name) { ui.refused.set(name, state.refused[name]); });
    return Q.Session.fromJSON(spec, state.session);
  }
  /* Answers are saved a moment after the last change (a burst of clicks or keystrokes
     is one write), at once when the page changes, and before the page goes away. */
  var saveTimer = null;
  function saveSoon() {
    if (config.served || saveTimer !== null) return;
    saveTimer = setTimeout(save, 300);
  }
  function flush() { if (saveTimer !== null) save(); }
  function save() {
    if (saveTimer !== null) { clearTimeout(saveTimer); saveTimer = null; }
    if (config.served) return; // the server keeps the answers
    try {
      window.localStorage.setItem(storageKey, JSON.stringify({
        session: session.toJSON(), started: ui.started, submitted: ui.submitted,
      }));
    } catch (err) {
      // Private browsing or a full storage: the form still works, without resuming.
    }
  }

  // ---------------------------------------------------------------- reading inputs
  var NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;

  /* The value an input stands for: null for blank, a number for number fields, or
     {invalid: message} for text that is not a number. */
  function valueOf(input) {
    if (input.type === "radio") return input.value;
    if (input.type === "checkbox") return input.checked ? "Y" : null;
    if (input.dataset.number) {
      var text = input.value.trim().replace(/\s/g, "");
      if (text === "") return null;
      if (!NUMBER.test(text)) return { invalid: Q.message(spec, "not_number", {}) };
      return Number(text.replace(",", "."));
    }
    return input.value;
  }

  /* The question an input answers: its name is the question's code or one of its
     variables (q_option, q_row, q_row_column), as the session reads them; null for
     any other input of the form (a served page's hidden fields). */
  var own = Object.prototype.hasOwnProperty;
  function questionOf(name) {
    if (own.call(byCode, name)) return name;
    return own.call(spec.symbols, name) ? spec.symbols[name][0] : null;
  }

  /* One handler per action: typing (text, numbers, sliders) is an `input` event; a
     click on a radio button or a tick is its `change` (which follows its `input`).
     The handlers sit on the form: every event they get is from one of its inputs. */
  function onInput(event) {
    var input = event.target, type = input.type;
    if (type === "radio" || type === "checkbox") return;
    var code = questionOf(input.name);
    if (code === null) return;
    input.removeAttribute("data-blank");
    answerFrom(input, code, true);
  }

  /* A blank slider still has its thumb somewhere: a press on it, where no value changes
     and no input event comes, is the respondent choosing that value. */
  function onPress(event) {
    var input = event.target;
    if (input.dataset.widget === "range" && input.hasAttribute("data-blank")) onInput(event);
  }

  /* What a posted page carries: never the position of a slider nobody moved. */
  function onFormData(event) {
    form.querySelectorAll("input[data-widget=range][data-blank]").forEach(function (input) {
      event.formData.delete(input.name);
    });
  }

  function onChange(event) {
    var input = event.target, type = input.type, code = questionOf(input.name);
    if (code === null) return;
    if (type === "radio" || type === "checkbox") {
      answerFrom(input, code, false);
      return;
    }
    // Leaving a typed field: its refusal, if any, is now worth saying, and the field
    // shows the answer as stored.
    var pending = ui.refused.get(input.name);
    if (pending) pending.shown = true;
    guard(function () { drawChanges(null, code); });
  }

  function answerFrom(input, code, typed) {
    var value = valueOf(input);
    guard(function () {
      ui.notices.delete(code);
      var changes = null;
      if (value !== null && typeof value === "object") {
        ui.refused.set(input.name, { question: code, message: value.invalid, shown: false });
      } else {
        try {
          changes = session.answer(input.name, value);
          ui.refused.delete(input.name);
        } catch (err) {
          if (!(err instanceof Q.AnswerError)) throw err;
          if (typed) {
            // Typed text stays as typed, and is said when the field is left.
            ui.refused.set(input.name, { question: code, message: err.detail, shown: false });
          } else {
            // A tick or a click that is refused is undone on screen and said at once.
            ui.notices.set(code, err.detail);
            syncInputs(code);
          }
        }
      }
      if (changes && changes.size) saveSoon();
      drawChanges(changes, code, !typed);
    });
  }

  // ---------------------------------------------------------------- drawing
  function currentScreen() {
    return ui.submitted || ui.sent ? "end" : !ui.started ? "welcome" : ui.saved ? "saved" : "form";
  }

  /* The questions and groups of the current page, as sets, and its groups whose
     texts read answers (made again when the page changes). */
  var onPageOf = { index: null, questions: new Set(), groups: new Set(), dynamic: [] };
  function onPage() {
    if (onPageOf.index !== session.pageNumber) {
      var page = session.page, groups = page ? page.groups : [];
      onPageOf = { index: session.pageNumber, questions: new Set(page ? page.questions : []),
        groups: new Set(groups), dynamic: groups.filter(function (code) {
          var g = groupsByCode[code];
          return typeof g.title === "function" || typeof g.description === "function";
        }) };
    }
    return onPageOf;
  }

  /* After an answer: redraw only what its change set names (the questions whose
     relevance, value or view changed, the groups shown or hidden) on this page, the
     question answered (its messages), and the texts no graph node follows (titles);
     questions of other pages are drawn when their page comes (redraw). The
     progress moves only when a page before this one is shown or skipped (this one
     keeps the question just answered), the buttons when any other page is. Answers
     are drawn where they may not be on screen: the question answered (a click the
     session took already is: `inputsShow`) and the questions just shown (a hidden
     question is not drawn, its answer kept). */
  function drawChanges(changes, answered, inputsShow) {
    stats.drawn = [];
    var here = onPage(), at = session.pageNumber, questions = [answered], shown = new Set();
    var earlier = false, later = false;
    if (changes) {
      for (var node of changes) {
        var target = node.slice(node.indexOf(":") + 1), relevance = node.startsWith("rel:");
        if (node.startsWith("group:")) {
          // Its questions shown or hidden with it are in the set too, by their "rel:".
          if (sections[target]) show(sections[target], session.groupVisible(target));
        } else if (here.questions.has(target)) {
          if (questions.indexOf(target) < 0) questions.push(target);
          if (relevance) shown.add(target);
        } else if (relevance) {
          if (pageOf.get(target) < at) earlier = true;
          else later = true;
        }
      }
    }
    for (var code of questions) {
      var el = containers[code];
      if (!el) continue; // an equation
      var view = session.view(code); // null while hidden
      if (code !== answered) show(el, view !== null); // the question answered is on screen
      if (view === null) continue;
      var fresh = code === answered || shown.has(code);
      drawQuestion(byCode[code], view, fresh, fresh && !(code === answered && inputsShow));
    }
    drawTexts(here);
    if (earlier) drawProgress(currentScreen(), true);
    drawNavigation(earlier, later);
  }

  /* Texts that read answers but are no node of the graph: the survey's title, the
     current page's group titles and descriptions (a few, and only when they are dynamic). */
  function drawTexts(here) {
    if (typeof spec.title === "function") drawTitle();
    here.dynamic.forEach(function (code) { if (sections[code]) drawGroupTexts(code, sections[code]); });
  }
  function drawTitle() {
    var title = session.text(spec.title) || spec.code;
    setText($("[data-text='title']"), title);
    if (document.title !== typeset(title)) document.title = typeset(title);
  }
  function drawGroupTexts(code, section) {
    var texts = session.groupTexts(code);
    setText($("[data-text='title']", section), texts[0]);
    setText($(":scope > [data-text='description']", section), texts[1]);
  }
  var groupsByCode = {};
  spec.groups.forEach(function (g) { groupsByCode[g.code] = g; });

  /* The whole screen: at load and when the page or the screen changes. */
  function redraw() {
    stats.redraws++;
    stats.drawn = [];
    var page = session.page, screen = currentScreen();
    if (screen === "form" && page) page.groups.forEach(buildGroup);
    var here = onPage(), pageGroups = here.groups;
    show($("#qe-welcome"), screen === "welcome");
    show(form, screen === "form");
    show($("#qe-end"), screen === "end");
    setText($("[data-text='title']"), session.text(spec.title) || spec.code);
    document.title = typeset(session.text(spec.title) || spec.code);
    if (spec.welcome) setText($("[data-text='welcome']"), session.text(spec.welcome));
    // The end text may speak of the answers: it is drawn while they are there, and
    // stays as it was once a sent response has been forgotten.
    if (ui.submitted) setText($("[data-text='end']"), session.text(spec.end));
    show($("#qe-download"), Boolean(ui.submitted));
    spec.groups.forEach(function (g) {
      var section = sections[g.code];
      if (!section) return; // a served page holds its own groups only
      show(section, session.groupVisible(g.code));
      section.toggleAttribute("data-offpage", !pageGroups.has(g.code));
      if (pageGroups.has(g.code)) drawGroupTexts(g.code, section);
    });
    Object.keys(containers).forEach(function (code) {
      var el = containers[code], visible = session.isVisible(code);
      show(el, visible);
      el.toggleAttribute("data-offpage", !here.questions.has(code));
      if (visible && here.questions.has(code)) drawQuestion(byCode[code], session.view(code), true, true);
    });
    drawProgress(screen, true);
    drawNavigation(true, true);
  }

  /* A question's elements, found once (a container is never rebuilt). */
  var partsOf = {};
  function parts(code) {
    var el = containers[code], p = partsOf[code];
    if (p && p.el === el) return p;
    function items(attribute) {
      var out = [];
      $$("[data-" + attribute + "]", el).forEach(function (node) {
        out.push({ code: node.getAttribute("data-" + attribute), node: node, label: $("[data-text='label']", node) });
      });
      return out;
    }
    var columns = {};
    $$("[data-column], [data-column-label]", el).forEach(function (span) {
      var c = span.getAttribute("data-column") || span.getAttribute("data-column-label");
      (columns[c] = columns[c] || []).push(span);
    });
    p = partsOf[code] = {
      el: el, text: $("[data-text='text']", el), help: $("[data-text='help']", el),
      prefix: $("[data-text='prefix']", el), suffix: $("[data-text='suffix']", el),
      options: items("option"), rows: items("row"), columns: columns, clear: $("[data-clear]", el),
      inputs: $$("input, textarea", el), box: $(".qe-errors", el), invalid: null,
    };
    return p;
  }

  /* A question as the session sees it. Its view is made afresh whenever anything it
     reads changes (the answer itself, for its problems): the wording is drawn again only
     when it differs from what was drawn. Its answer is drawn when asked: the clear
     button (`answer`) and the inputs (`inputs`). */
  function drawQuestion(q, view, answer, inputs) {
    stats.drawn.push(q.code);
    var p = parts(q.code);
    if (!sameWording(p.view, view)) {
      p.view = view;
      setText(p.text, view.text);
      setText(p.help, view.help);
      setText(p.prefix, view.prefix);
      setText(p.suffix, view.suffix);
      drawChoices(p.options, view.options);
      drawChoices(p.rows, view.rows);
      view.columns.forEach(function (c) {
        (p.columns[c.code] || []).forEach(function (span) { setText(span, c.label); });
      });
    }
    if (answer) {
      var given = session.given(q.code);
      if (p.clear) show(p.clear, given !== null);
      if (inputs) syncInputs(q.code, given);
    }
    drawProblems(q.code, p, view);
  }

  function sameWording(a, b) {
    return Boolean(a) && a.text === b.text && a.help === b.help && a.prefix === b.prefix &&
      a.suffix === b.suffix && sameItems(a.options, b.options) && sameItems(a.rows, b.rows) &&
      sameItems(a.columns, b.columns);
  }
  function sameItems(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i].code !== b[i].code || a[i].label !== b[i].label) return false;
    return true;
  }

  /* The options (or rows) shown now, with their current labels; the others hidden. */
  function drawChoices(items, shown) {
    if (!items.length) return;
    var byCode = {};
    shown.forEach(function (c) { byCode[c.code] = c; });
    items.forEach(function (item) {
      var choice = byCode[item.code];
      show(item.node, Boolean(choice));
      if (choice) setText(item.label, choice.label);
    });
  }

  /* Inputs show the stored answer; a field being typed in, or holding refused text, is left alone. */
  function syncInputs(code, given) {
    var q = byCode[code];
    if (given === undefined) given = session.given(code);
    parts(code).inputs.forEach(function (input) {
      var name = input.name;
      var checked;
      if (input.type === "radio") {
        checked = q.shape === "choice" ? given === input.value
          : given !== null && given[name.slice(code.length + 1)] === input.value;
        if (input.checked !== checked) input.checked = checked;
      } else if (input.type === "checkbox") {
        checked = given !== null && given.indexOf(name.slice(code.length + 1)) >= 0;
        if (input.checked !== checked) input.checked = checked;
      } else if (input !== document.activeElement && !ui.refused.has(name)) {
        var value = given;
        if (q.shape === "row_cells") {
          var cell = name.slice(code.length + 1).split("_");
          value = given !== null && given[cell[0]] ? given[cell[0]][cell[1]] : null;
        }
        var text = value === null || value === undefined ? "" : Q.asText(value);
        if (input.value !== text) input.value = text;
        if (input.dataset.widget === "range") input.toggleAttribute("data-blank", text === "");
      }
    });
  }

  function drawProblems(code, p, view) {
    var messages = ui.notices.has(code) ? [ui.notices.get(code)] : [];
    ui.refused.forEach(function (r) { if (r.question === code && r.shown) messages.push(r.message); });
    // A refused answer is the question's problem until it is fixed; then its own problems show.
    if (ui.flagged.has(code) && !messages.length) messages = view.problems.slice();
    var box = p.box;
    if (!box) return; // display text: nothing to answer, nothing to fix
    var text = messages.join("\n");
    if (p.shown !== text) {
      p.shown = text;
      box.replaceChildren.apply(box, messages.map(function (m) {
        var line = document.createElement("p");
        setText(line, m);
        return line;
      }));
    }
    var invalid = messages.length > 0;
    if (p.invalid === invalid) return;
    p.invalid = invalid;
    p.el.classList.toggle("qe-invalid", invalid);
    p.inputs.forEach(function (input) {
      if (invalid) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
  }

  /* "Page 3 of 6", or "Page 3 of at most 8": the pages shown so far, then every page
     after this one, counted as certain only when no condition can hide it (spec's
     `always`). Answers never make the total grow while the respondent is on a page:
     it may only fall, when a page is skipped. The bar is the share of the survey's
     pages left behind, skipped ones included. */
  var progressOf = { index: null, before: 0, later: 0, certain: 0 };
  var progressBox = $("#qe-progress"), progressBar = $("[role='progressbar']", progressBox);
  var progressText = $("#qe-progress-text"), backButton = $("#qe-back"), nextButton = $("#qe-next");
  function drawProgress(screen, earlier) {
    show(progressBox, screen === "form" && session.pages.length > 1);
    if (screen !== "form") return;
    var at = session.pageNumber, pages = session.pages, i;
    if (progressOf.index !== at || earlier) {
      // What only the page, or a change on an earlier page, can change.
      progressOf = { index: at, before: 0, later: Math.max(pages.length - at - 1, 0), certain: 0 };
      for (i = 0; i < Math.min(at, pages.length); i++) if (session.hasVisible(pages[i])) progressOf.before++;
      for (i = at + 1; i < pages.length; i++) if (pages[i].always) progressOf.certain++;
    }
    var n = progressOf.before + (at >= 0 && at < pages.length && session.hasVisible(pages[at]) ? 1 : 0);
    var template = progressOf.certain === progressOf.later ? words.page_of : words.page_of_most;
    var percent = String(Math.round(100 * at / pages.length));
    if (progressBar.getAttribute("aria-valuenow") !== percent) {
      progressBar.setAttribute("aria-valuenow", percent);
      progressBar.firstElementChild.style.width = percent + "%";
    }
    setText(progressText, format(template, { n: Math.max(n, 1), total: Math.max(n, 1) + progressOf.later }));
  }

  /* The page of each question, for a change to tell the pages before this one (the
     progress, Back) from those after it (Next or Submit): made at load, not by the
     first click. */
  var pageOf = new Map();
  spec.pages[config.format].forEach(function (page, i) {
    page.questions.forEach(function (c) { pageOf.set(c, i); });
  });

  function isLastPage() { return session.findPage(session.pageNumber + 1, +1) >= session.pages.length; }

  /* Back when a page before this one may have changed, Next (or Submit) when one after it. */
  function drawNavigation(back, next) {
    if (back) show(backButton, session.findPage(session.pageNumber - 1, -1) >= 0);
    if (next) setText(nextButton, isLastPage() ? words.submit : words.next);
  }

  function drawSummary(problems) {
    var box = $("#qe-summary"), list = $("ul", box);
    list.replaceChildren();
    var seen = new Set();
    problems.forEach(function (p) {
      if (seen.has(p.question)) return;
      seen.add(p.question);
      var item = document.createElement("li"), link = document.createElement("a");
      link.href = "#qe-q-" + p.question;
      setText(link, (session.view(p.question) || { text: p.question }).text.split("\n")[0]);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        focusQuestion(p.question);
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    show(box, problems.length > 0);
    if (problems.length) box.focus();
  }

  function focusQuestion(code) {
    var el = containers[code];
    var target = $("input:not([type=hidden]):not([disabled]), textarea", el);
    if (target && target.closest("[hidden]")) target = null;
    el.scrollIntoView({ block: "center" });
    (target || el).focus({ preventScroll: true });
  }

  function focusPage() {
    var page = session.page;
    window.scrollTo(0, 0);
    if (!page) return;
    var heading = $("#qe-g-" + page.groups[0]);
    if (heading) heading.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- pages drawn on demand
  /* The static form carries the markup of the page a new respondent lands on; the
     other groups are made here from the survey (spec) when their page is first shown,
     the same elements form.html.j2 writes, texts set by drawQuestion (as text, never
     markup). config.widgets names each question's widget: [name, input type, scale]. */
  var nav = $(".qe-card-nav");

  function node(tag, attributes, children) {
    var el = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      var value = attributes[key];
      if (value !== null && value !== undefined && value !== false) el.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { el.append(child); }); // a string becomes a text node
    return el;
  }

  function buildGroup(code) {
    if (sections[code] || !config.widgets) return;
    var g = groupsByCode[code];
    var section = node("section", { class: "qe-card qe-group", "data-group": code, "aria-labelledby": "qe-g-" + code, hidden: true }, [
      node("h2", { class: "qe-group-title", id: "qe-g-" + code, tabindex: "-1", "data-text": "title" }),
      node("div", { class: "qe-description qe-prose", "data-text": "description", hidden: true }),
    ]);
    g.questions.forEach(function (qcode) {
      var widget = config.widgets[qcode];
      if (!widget) return; // an equation: no markup
      var el = buildQuestion(byCode[qcode], widget);
      section.append(el);
      containers[qcode] = el;
    });
    // In the survey's order: before the next group already drawn, else before the buttons.
    var before = nav;
    for (var i = spec.groups.indexOf(g) + 1; i < spec.groups.length; i++) {
      if (sections[spec.groups[i].code]) { before = sections[spec.groups[i].code]; break; }
    }
    form.insertBefore(section, before);
    sections[code] = section;
  }

  function buildQuestion(q, widget) {
    var name = widget[0], code = q.code, described = "qe-h-" + code + " qe-e-" + code;
    var el = node("div", { class: "qe-question", "data-question": code, "data-kind": q.kind, "data-widget": name,
      id: "qe-q-" + code, hidden: true });
    function title(tag) {
      var t = node(tag, { class: "qe-text", id: "qe-t-" + code, for: tag === "label" ? "qe-i-" + code : null },
        [node("span", { "data-text": "text" })]);
      if (q.mandatory) {
        t.append(node("span", { class: "qe-req", "aria-hidden": "true" }, ["\u00a0*"]),
          node("span", { class: "qe-sr" }, [" " + words.required]));
      }
      return t;
    }
    function help() { return node("div", { class: "qe-help", id: "qe-h-" + code, "data-text": "help", hidden: true }); }
    function errors() { return node("div", { class: "qe-errors", id: "qe-e-" + code, "aria-live": "polite" }); }
    var number = q.integer ? "integer" : "decimal", inputmode = q.integer ? "numeric" : "decimal";
    if (name === "display") {
      el.append(node("div", { class: "qe-display", "data-text": "text" }));
    } else if (name === "choice" || name === "choices") {
      var choices = node("div", { class: "qe-choices" }, q.options.map(function (o) {
        var input = name === "choice" ? node("input", { type: "radio", name: code, value: o.code })
          : node("input", { type: "checkbox", name: code + "_" + o.code, value: "Y" });
        return node("label", { class: "qe-choice", "data-option": o.code, "data-exclusive": o.exclusive },
          [input, node("span", { "data-text": "label" })]);
      }));
      var set = node("fieldset", { "aria-describedby": described }, [title("legend"), help(), choices]);
      if (name === "choice" && !q.mandatory) {
        set.append(node("button", { type: "button", class: "qe-clear", "data-clear": code, hidden: true }, [words.clear]));
      }
      set.append(errors());
      el.append(set);
    } else if (name === "choice_table" || name === "number_table") {
      var matrix = node("div", { class: "qe-matrix" + (name === "choice_table" && widget[2] ? " qe-scale" : ""),
        style: "--qe-columns: " + q.columns.length }, [
        node("div", { class: "qe-matrix-head", "aria-hidden": "true" }, [node("span")].concat(q.columns.map(function (c) {
          return node("span", { "data-column": c.code });
        }))),
      ]);
      q.rows.forEach(function (r) {
        matrix.append(node("fieldset", { class: "qe-row", "data-row": r.code }, [
          node("legend", { "data-text": "label" }),
          node("div", { class: "qe-cells" }, q.columns.map(function (c) {
            var label = node("span", { class: "qe-cell-label", "data-column-label": c.code });
            if (name === "choice_table") {
              return node("label", { class: "qe-cell" }, [node("input", { type: "radio", name: code + "_" + r.code, value: c.code }), label]);
            }
            return node("label", { class: "qe-cell qe-cell-number" }, [label, node("input", { type: "text", inputmode: inputmode,
              autocomplete: "off", name: code + "_" + r.code + "_" + c.code, "data-number": number })]);
          })),
        ]));
      });
      el.append(node("fieldset", { "aria-describedby": described }, [title("legend"), help(), matrix, errors()]));
    } else if (name === "number") {
      var range = widget[1] === "range";
      el.append(title("label"), help(), node("div", { class: "qe-number" }, [
        node("span", { class: "qe-prefix", id: "qe-p-" + code, "data-text": "prefix", hidden: true }), " ",
        node("input", { type: widget[1], id: "qe-i-" + code, name: code, "data-widget": range ? "range" : null,
          "data-blank": range, min: range ? widget[3] : null, max: range ? widget[4] : null,
          step: range ? (q.integer ? "1" : "any") : null, inputmode: inputmode, autocomplete: "off", "data-number": number,
          "aria-required": q.mandatory ? "true" : null,
          "aria-describedby": "qe-p-" + code + " qe-s-" + code + " qe-h-" + code + " qe-e-" + code }), " ",
        node("span", { class: "qe-suffix", id: "qe-s-" + code, "data-text": "suffix", hidden: true }),
      ]), errors());
    } else if (name === "text" || name === "long_text") {
      var attributes = { id: "qe-i-" + code, name: code, "aria-required": q.mandatory ? "true" : null, "aria-describedby": described };
      el.append(title("label"), help(), name === "long_text" ? node("textarea", Object.assign({ rows: "4" }, attributes))
        : node("input", Object.assign({ type: widget[1] }, widget[1] === "date"
          ? { min: widget[3] === "None" ? null : widget[3], max: widget[4] === "None" ? null : widget[4] } : {},
        attributes)), errors());
    }
    return el;
  }

  // ---------------------------------------------------------------- navigation
  function pendingRefusals() {
    var page = session.page, out = [];
    if (!page) return out;
    var onPage = new Set(page.questions);
    ui.refused.forEach(function (r) {
      if (onPage.has(r.question) && session.isVisible(r.question)) {
        r.shown = true;
        out.push(r);
      }
    });
    return out;
  }

  function onNext(event) {
    if (config.served && event.submitter && event.submitter.value !== "next") return; // Back, Resume later
    event.preventDefault();
    guard(function () {
      var refused = pendingRefusals();
      if (refused.length) {
        // Every problem of the page at once, the refusals first (as `qengine play` reports).
        var blocked = new Set(refused.map(function (r) { return r.question; }));
        var problems = refused.concat(session.problems().filter(function (p) { return !blocked.has(p.question); }));
        problems.forEach(function (p) { ui.flagged.add(p.question); });
        redraw();
        drawSummary(problems);
        return;
      }
      if (config.served) {
        // The server moves on, once the page has nothing left to fix here.
        var problems = session.problems();
        problems.forEach(function (p) { ui.flagged.add(p.question); });
        if (problems.length) {
          redraw();
          drawSummary(problems);
        } else {
          form.submit();
        }
        return;
      }
      if (!session.next()) {
        session.lastProblems.forEach(function (p) { ui.flagged.add(p.question); });
        redraw();
        drawSummary(session.lastProblems);
        return;
      }
      ui.flagged.clear();
      ui.notices.clear();
      drawSummary([]);
      if (session.finished) submit();
      else {
        save();
        redraw();
        focusPage();
      }
    });
  }

  function onBack() {
    if (config.served) return; // the button posts the page
    guard(function () {
      if (!session.back()) return;
      ui.flagged.clear();
      ui.notices.clear();
      drawSummary([]);
      save();
      redraw();
      focusPage();
    });
  }

  function submit() {
    var response;
    try {
      response = session.submit();
    } catch (err) {
      if (!(err instanceof Q.IncompleteError)) throw err;
      // A problem on an earlier page (an answer there no longer fits): go back to it.
      var code = err.problems[0].question;
      while (session.page === null || session.page.questions.indexOf(code) < 0) {
        if (!session.back()) break;
      }
      err.problems.forEach(function (p) { ui.flagged.add(p.question); });
      save();
      redraw();
      drawSummary(err.problems.filter(function (p) { return session.page.questions.indexOf(p.question) >= 0; }));
      return;
    }
    ui.submitted = response;
    save();
    redraw();
    $("#qe-end h2").focus();
    post();
  }

  // ---------------------------------------------------------------- the response
  function responseText() { return JSON.stringify(ui.submitted, null, 2) + "\n"; }

  function download() {
    var blob = new Blob([responseText()], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = spec.code + "-response.json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  /* Send the response to post_url; without one, say plainly that nothing was sent. */
  function post() {
    var status = $("#qe-status");
    if (!config.postUrl) {
      setText(status, words.not_sent);
      return;
    }
    setText(status, words.sending);
    show($("#qe-retry"), false);
    fetch(config.postUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: responseText() })
      .then(function (reply) {
        if (!reply.ok) throw new Error("HTTP " + reply.status);
        setText(status, words.sent);
        // Sent: the next person at this computer must find nothing of it, on reload either.
        discard();
        ui.sent = true;
        redraw();
      })
      .catch(function () {
        setText(status, words.send_failed);
        show($("#qe-retry"), true);
      });
  }

  /* Nothing of the response left, on the device or in the page. */
  function discard() {
    if (saveTimer !== null) { clearTimeout(saveTimer); saveTimer = null; }
    try { window.localStorage.removeItem(storageKey); } catch (err) { /* nothing kept */ }
    session = new Q.Session(spec, { format: config.format });
    ui.submitted = null;
    ui.flagged.clear();
    ui.refused.clear();
    ui.notices.clear();
    form.reset();
  }

  function restart() {
    discard();
    ui.started = !spec.welcome;
    ui.sent = false;
    setText($("#qe-status"), "");
    redraw();
    focusPage();
  }

  /* An expression failing is a defect of the survey: say so, rather than go on wrongly. */
  function guard(action) {
    try {
      action();
    } catch (err) {
      if (!(err instanceof Q.EvaluationError)) throw err;
      var banner = $("#qe-defect");
      setText(banner, words.defect + " " + err.message);
      banner.hidden = false;
      banner.scrollIntoView();
    }
  }

  // ---------------------------------------------------------------- wiring
  // A page sent by the server asks for a slider's number in a box (it works without
  // JavaScript); with it, the box becomes the slider.
  form.querySelectorAll("input[data-widget=range]").forEach(function (input) {
    var blank = input.value === "";
    input.type = "range";
    input.toggleAttribute("data-blank", blank);
  });
  form.addEventListener("input", onInput);
  form.addEventListener("change", onChange);
  form.addEventListener("pointerup", onPress);
  form.addEventListener("formdata", onFormData);
  form.addEventListener("submit", onNext);
  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-clear]");
    if (!button || !form.contains(button)) return;
    guard(function () {
      var code = button.dataset.clear, changes = session.clear(code);
      if (changes.size) saveSoon();
      drawChanges(changes, code);
    });
  });
  // A change not saved yet is saved before the page goes away.
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") flush(); });
  $("#qe-back").addEventListener("click", onBack);
  var start = $("#qe-start");
  if (start && !config.served) {
    start.addEventListener("click", function () {
      ui.started = true;
      save();
      redraw();
      focusPage();
    });
  }
  if (!config.served) { // a served end screen has plain links
    $("#qe-download").addEventListener("click", download);
    $("#qe-retry").addEventListener("click", post);
    $("#qe-restart").addEventListener("click", restart);
  }
  guard(function () {
    session = restore();
    redraw();
  });
  if (session === null) {
    show(form, false); // the survey fails from its first page: nothing to fill in
    return;
  }
  if (ui.submitted && !config.served) post(); // closed before the answer came back: send again (or say nothing is sent)
})();
