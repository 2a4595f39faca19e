// Glas surveys: show and hide questions live as the person answers, by the same display logic
// the server evaluates (glas/surveys/logic.py). The server stays the authority: without this
// file every question of the page is shown, and answers to hidden ones are discarded when the
// questionnaire is sent. Conditions come from the form's data-logic attribute:
//   {"questions": {variable: condition}, "order": [variable, ...], "types": {variable: type},
//    "answers": {variable: value of an answer given on another page}}
(function () {
  "use strict";

  function isEmpty(value) {
    if (value === null || value === undefined || value === "") { return true; }
    if (Array.isArray(value)) { return value.length === 0; }
    if (typeof value === "object") { return Object.keys(value).length === 0; }
    return false;
  }

  function asNumber(value) {
    if (typeof value === "boolean" || value === null || value === undefined || value === "") { return null; }
    var number = Number(String(value).replace(",", "."));
    return isFinite(number) ? number : null;
  }

  function matches(answer, value, type) {
    if (Array.isArray(answer)) { return answer.indexOf(value) !== -1; }
    if (type === "numeric" || type === "scale_0_10") {
      var a = asNumber(answer), b = asNumber(value);
      return a !== null && b !== null && a === b;
    }
    return String(answer) === String(value);
  }

  function inRange(answer, condition, type) {
    var parse = type === "date" ? function (v) { return v ? String(v) : null; } : asNumber;
    var value = parse(answer);
    if (value === null) { return false; }
    if (condition.min !== undefined && condition.min !== null) {
      var low = parse(condition.min);
      if (low === null || value < low || (condition.min_exclusive && value === low)) { return false; }
    }
    if (condition.max !== undefined && condition.max !== null) {
      var high = parse(condition.max);
      if (high === null || value > high || (condition.max_exclusive && value === high)) { return false; }
    }
    return true;
  }

  function evaluate(condition, answers, types) {
    if (condition === null || condition === undefined) { return true; }
    if (typeof condition !== "object") { return false; }
    if (Array.isArray(condition.and)) {
      return condition.and.every(function (item) { return evaluate(item, answers, types); });
    }
    if (Array.isArray(condition.or)) {
      return condition.or.some(function (item) { return evaluate(item, answers, types); });
    }
    var answer = answers[condition["var"]];
    if (isEmpty(answer)) { return false; }
    var type = types[condition["var"]];
    switch (condition.op) {
      case "answered": return true;
      case "equals": return matches(answer, condition.value, type);
      case "in": return (condition.values || []).some(function (value) { return matches(answer, value, type); });
      case "range": return inRange(answer, condition, type);
      default: return false;
    }
  }

  function valueOf(form, block) {
    var name = block.getAttribute("data-variable");
    var family = block.getAttribute("data-family");
    var fields = Array.prototype.slice.call(form.elements).filter(function (el) {
      return el.name === name || el.name.indexOf(name + "--") === 0;
    });
    if (family === "choice") {
      var checked = fields.filter(function (el) { return el.name === name && el.checked; })[0];
      return checked ? checked.value : null;
    }
    if (family === "multiple") {
      return fields.filter(function (el) { return el.name === name && el.checked; }).map(function (el) { return el.value; });
    }
    if (family === "matrix") {
      var rows = {};
      fields.forEach(function (el) { if (el.checked) { rows[el.name.slice(name.length + 2)] = el.value; } });
      return rows;
    }
    if (family === "ranking") {
      return fields.filter(function (el) { return el.value; }).map(function (el) { return el.value; });
    }
    var single = fields.filter(function (el) { return el.name === name; })[0];
    return single && single.value !== "" ? single.value : null;
  }

  function setShown(block, shown) {
    if (shown === !block.hidden) { return; }
    block.hidden = !shown;
    Array.prototype.forEach.call(block.querySelectorAll("input, select, textarea"), function (el) {
      el.disabled = !shown;
    });
  }

  function apply(form, data) {
    var answers = {};
    Object.keys(data.answers || {}).forEach(function (key) { answers[key] = data.answers[key]; });
    var types = data.types || {};
    (data.order || []).forEach(function (name) {
      var block = document.getElementById("q-" + name + "-block");
      if (!block) { return; }
      var shown = evaluate(data.questions[name], answers, types);
      setShown(block, shown);
      delete answers[name];
      if (shown) {
        var value = valueOf(form, block);
        if (!isEmpty(value)) { answers[name] = value; }
      }
    });
  }

  function init(form) {
    var data;
    try { data = JSON.parse(form.getAttribute("data-logic") || "{}"); } catch (e) { return; }
    if (!data.questions || Object.keys(data.questions).length === 0) { return; }
    var update = function () { apply(form, data); };
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.survey-form[data-logic]"), init);
  });
})();
