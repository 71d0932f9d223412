/* qengine runtime for the browser (and Node, for the differential test).
 *
 * A line-by-line mirror of the Python reference: the value rules of
 * qengine/expr/values.py, the helpers of qengine/expr/functions.py (whose rows
 * bring each function's own code, see FUNCTIONS below), the answer checks of the
 * kinds of qengine/kinds/ (by the shape of the answer, never by kind: a kind picks
 * a shape) and the Session of qengine/runtime/session.py (relevance, filtered
 * values, views, problems, navigation, response). It contains no expression
 * evaluator: every condition, rule and piece of wording arrives compiled to a JS
 * function by
 * renderers/qengine_renderers/html/to_js.py, which calls the helpers below (`Q.eq`, `Q.arith`, ...).
 * Whatever this file decides, Python decides the same way; tests/test_differential.py
 * holds the two together.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.QEngine = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // ------------------------------------------------------------------ errors
  class EvaluationError extends Error {
    constructor(message) { super(message); this.name = "EvaluationError"; }
  }
  class FunctionError extends Error {}
  class AnswerError extends Error {
    constructor(question, message) {
      super(question + ": " + message);
      this.name = "AnswerError";
      this.question = question;
      this.detail = message;
    }
  }
  class MalformedAnswer extends AnswerError {
    constructor(question, message) { super(question, message); this.name = "MalformedAnswer"; }
  }
  class IncompleteError extends Error {
    constructor(problems) {
      super(problems.map(function (p) { return p.question + ": " + p.message; }).join("; "));
      this.name = "IncompleteError";
      this.problems = problems;
    }
  }

  // ------------------------------------------------------------------ values
  // Python's str.isspace() and its \d (category Nd), so that " ٣ " reads as 3 as in Python.
  var WS = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var NUMERIC = new RegExp("^[" + WS + "]*-?(\\p{Nd}+(\\.\\p{Nd}*)?|\\.\\p{Nd}+)[" + WS + "]*$", "u");
  var NUMBER_PREFIX = new RegExp("^[" + WS + "]*[+-]?(\\p{Nd}+(\\.\\p{Nd}*)?|\\.\\p{Nd}+)([eE][+-]?\\p{Nd}+)?", "u");
  var STRIP = new RegExp("^[" + WS + "]+|[" + WS + "]+$", "gu");
  var ND = /\p{Nd}/u;
  var NON_ASCII_DIGIT = /(?![0-9])\p{Nd}/gu;

  function strip(s) { return s.replace(STRIP, ""); }

  /* Digits of any script as ASCII: decimal digits come in runs of ten, 0 to 9. */
  function asciiDigits(s) {
    return s.replace(NON_ASCII_DIGIT, function (d) {
      var cp = d.codePointAt(0), start = cp;
      while (ND.test(String.fromCodePoint(start - 1))) start--;
      return String((cp - start) % 10);
    });
  }

  function isEmpty(v) {
    return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
  }

  // How many answers count() sees in a value: ticks of a whole multiple choice (an
  // array), answered rows of a whole array, filled cells of a whole grid (objects).
  function answered(v) {
    if (Array.isArray(v)) return v.length;
    if (v !== null && typeof v === "object") {
      var n = 0;
      for (var k of Object.keys(v)) n += answered(v[k]);
      return n;
    }
    return isEmpty(v) ? 0 : 1;
  }

  /* The number a text starts with, as PHP reads it: _leading_number() in Python. */
  function leadingNumber(x) {
    var m = NUMBER_PREFIX.exec(asText(x));
    var n = m ? Number(asciiDigits(strip(m[0]))) : 0;
    if (!isFinite(n)) throw new FunctionError("the number is too large");
    return n;
  }

  function asNumber(v) {
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "number") return v;
    if (typeof v === "string" && NUMERIC.test(v)) return Number(asciiDigits(strip(v)));
    return null;
  }

  function truthy(v) {
    if (isEmpty(v)) return false;
    if (typeof v === "string") { var n = asNumber(v); return n !== null ? n !== 0 : true; }
    if (typeof v === "number") return v !== 0;
    if (typeof v === "boolean") return v;
    return true;
  }

  /* -0 and 0 are one number in Python's ints. */
  function norm(x) { return x === 0 ? 0 : x; }

  /* Python's repr() of a float: shortest round-trip digits, exponent from 1e16 and below 1e-4. */
  function floatRepr(x) {
    if (x !== x) return "nan";
    if (x === Infinity) return "inf";
    if (x === -Infinity) return "-inf";
    var parts = x.toExponential().split("e"), mant = parts[0], exp = parseInt(parts[1], 10), sign = "";
    if (mant[0] === "-") { sign = "-"; mant = mant.slice(1); }
    var digits = mant.replace(".", "");
    if (exp >= -4 && exp < 16) {
      if (exp < 0) return sign + "0." + "0".repeat(-exp - 1) + digits;
      var whole = digits.slice(0, exp + 1);
      while (whole.length < exp + 1) whole += "0";
      return sign + whole + "." + (digits.slice(exp + 1) || "0");
    }
    var m = digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "");
    return sign + m + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
  }

  /* A number with a fraction as LimeSurvey prints it: 14 significant digits (PHP's
     precision), exponent form below 1e-4 and from 1e14 (`1.0E-5`); float_text() in
     Python. */
  function floatText(x) {
    if (!isFinite(x)) return floatRepr(x);
    var parts = x.toExponential(13).split("e"), mant = parts[0], exp = parseInt(parts[1], 10), sign = "";
    if (mant[0] === "-") { sign = "-"; mant = mant.slice(1); }
    // toExponential rounds an exact half up; Python and PHP round it to even.
    var exact = Math.abs(x).toExponential(100).split("e");
    var exactDigits = exact[0].replace(".", "");
    if (/^\d{13}[02468]50*$/.test(exactDigits)) {
      mant = exactDigits.slice(0, 14);
      exp = parseInt(exact[1], 10);
    }
    var digits = mant.replace(".", "").replace(/0+$/, "");
    if (exp < -4 || exp >= 14) {
      return sign + digits[0] + "." + (digits.slice(1) || "0") + "E" + (exp < 0 ? "-" : "+") + Math.abs(exp);
    }
    if (exp < 0) return sign + "0." + "0".repeat(-exp - 1) + digits;
    var whole = digits.slice(0, exp + 1), fraction = digits.slice(exp + 1);
    while (whole.length < exp + 1) whole += "0";
    return sign + whole + (fraction ? "." + fraction : "");
  }

  function numberText(x) {
    // Python prints a whole float with every digit of its exact value.
    if (Number.isInteger(x)) return Number.isSafeInteger(x) ? String(norm(x)) : BigInt(x).toString();
    return floatRepr(x);
  }

  /* Python's repr() of a str, used in error messages. */
  var NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
  function strRepr(s) {
    var quote = s.indexOf("'") >= 0 && s.indexOf('"') < 0 ? '"' : "'";
    var out = quote;
    for (var ch of s) {
      var cp = ch.codePointAt(0);
      if (ch === "\\") out += "\\\\";
      else if (ch === quote) out += "\\" + quote;
      else if (ch === "\t") out += "\\t";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch !== " " && NON_PRINTABLE.test(ch)) {
        var hex = cp.toString(16);
        out += cp < 0x100 ? "\\x" + hex.padStart(2, "0") : cp < 0x10000 ? "\\u" + hex.padStart(4, "0")
          : "\\U" + hex.padStart(8, "0");
      } else out += ch;
    }
    return out + quote;
  }

  /* Python's repr() of a JSON-like value. */
  function pyRepr(v) {
    if (v === null || v === undefined) return "None";
    if (v === true) return "True";
    if (v === false) return "False";
    if (typeof v === "number") return Number.isInteger(v) ? numberText(v) : floatRepr(v);
    if (typeof v === "string") return strRepr(v);
    if (Array.isArray(v)) return "[" + v.map(pyRepr).join(", ") + "]";
    return "{" + Object.keys(v).map(function (k) { return strRepr(k) + ": " + pyRepr(v[k]); }).join(", ") + "}";
  }

  /* How a value reads inside wording (as_text). */
  function asText(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "boolean") return v ? "1" : "";
    if (typeof v === "number") return Number.isInteger(v) ? numberText(v) : floatText(v);
    if (Array.isArray(v)) return v.join(", ");
    if (typeof v === "object") return pyRepr(v);
    return String(v);
  }

  /* String order by code point, as Python compares str. */
  function textLess(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.codePointAt(i) < b.codePointAt(i);
    }
    return a.length < b.length;
  }

  function equal(a, b) {
    if (isEmpty(a) || isEmpty(b)) return isEmpty(a) && isEmpty(b);
    var na = asNumber(a), nb = asNumber(b);
    if (na !== null && nb !== null) return na === nb;
    return asText(a) === asText(b);
  }

  function order(op, a, b) {
    if (isEmpty(a) || isEmpty(b)) return false;
    var na = asNumber(a), nb = asNumber(b), less;
    if (na !== null && nb !== null) {
      less = function (x, y) { return x < y; };
      a = na; b = nb;
    } else {
      less = textLess;
      a = asText(a); b = asText(b);
    }
    switch (op) {
      case "<": return less(a, b);
      case "<=": return typeof a === "number" ? a <= b : !less(b, a);
      case ">": return less(b, a);
      case ">=": return typeof a === "number" ? a >= b : !less(a, b);
    }
    throw new Error("unknown comparison " + op);
  }

  function scalar(v) {
    if (Array.isArray(v)) throw new EvaluationError("a whole multiple-choice question has no single value");
    return v;
  }

  function number(v) {
    var n = asNumber(v);
    if (n === null) throw new EvaluationError(strRepr(asText(v)) + " is not a number");
    return n;
  }

  /* Python's % : the result has the sign of the divisor. */
  function pyMod(x, y) {
    var m = x % y;
    if (m !== 0) { if ((y < 0) !== (m < 0)) m += y; } else m = 0;
    return m;
  }

  function arith(op, a, b) {
    if (isEmpty(a) || isEmpty(b)) return null;
    var x = number(scalar(a)), y = number(scalar(b));
    switch (op) {
      case "+": return norm(x + y);
      case "-": return norm(x - y);
      case "*": return norm(x * y);
    }
    if (y === 0) throw new EvaluationError("division by zero");
    if (op === "/") return norm(x / y);
    if (op === "%") return norm(pyMod(x, y));
    throw new Error("unknown operator " + op);
  }

  function neg(a) { return isEmpty(a) ? null : norm(-number(a)); }

  // ------------------------------------------------------------------ functions
  function numbers(args) {
    var out = [];
    for (var a of args) {
      if (Array.isArray(a)) throw new FunctionError("a whole question cannot be used as a number");
      if (isEmpty(a)) continue;
      var n = asNumber(a);
      if (n === null) throw new FunctionError(strRepr(asText(a)) + " is not a number");
      out.push(n);
    }
    return out;
  }

  /* ---- helpers of LimeSurvey's (PHP's) functions, mirroring qengine/expr/functions.py */

  /* A result of exp, log or pow rounded to 15 significant digits (_fifteen_digits):
     engines differ in the last binary digit. Halves go to even, as in Python. */
  function fifteenDigits(x) {
    if (x !== x) throw new FunctionError("the result is not a number");
    if (!isFinite(x)) throw new FunctionError("the result is too large a number");
    return norm(Number(evenDigits(x, 15)));
  }

  /* x written with `digits` significant digits, rounded as Python rounds (ties to
     even on the exact binary value; toPrecision sends them up). */
  function evenDigits(x, digits) {
    var exact = Math.abs(x).toExponential(100).split("e");
    var all = exact[0].replace(".", "");
    var tie = new RegExp("^\\d{" + (digits - 1) + "}[02468]50*$");
    if (!tie.test(all)) return x.toPrecision(digits);
    return (x < 0 ? "-" : "") + all[0] + "." + all.slice(1, digits) + "e" + exact[1];
  }

  /* x (not negative) with `places` decimals, rounded as Python's and PHP's "%.Nf"
     round: ties to even on the exact binary value (toFixed sends them up). */
  function fixedDigits(x, places) {
    if (x >= 1e21) return BigInt(x).toString() + (places ? "." + "0".repeat(places) : "");
    var s = x.toFixed(100), dot = s.indexOf(".");
    var digits = s.slice(0, dot) + s.slice(dot + 1, dot + 1 + places), rest = s.slice(dot + 1 + places);
    var last = Number(digits[digits.length - 1]);
    if (rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || last % 2 === 1))) {
      digits = (BigInt(digits) + 1n).toString().padStart(digits.length, "0");
    }
    var whole = digits.slice(0, digits.length - places) || "0";
    return places ? whole + "." + digits.slice(digits.length - places) : whole;
  }

  /* ---- dates: PHP's date(), mktime() and strtotime() in UTC (_date, _mktime, _strtotime) */
  var FIRST_SECOND = -62135596800, LAST_SECOND = 253402300799;
  var DATE_LETTERS = "YmdHisjnyDlNwztL";
  var WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
  var ISO_MOMENT = /^[ \t\n\r\v\f]*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(Z|[+-][0-9]{2}:?[0-9]{2})?)?[ \t\n\r\v\f]*$/;

  function floorDiv(a, b) { return Math.floor(a / b); }

  function daysFromCivil(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    var era = floorDiv(y, 400), yoe = y - era * 400;
    var doy = floorDiv(153 * (m + (m > 2 ? -3 : 9)) + 2, 5) + d - 1;
    return era * 146097 + yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy - 719468;
  }

  function civilFromDays(z) {
    z += 719468;
    var era = floorDiv(z, 146097), doe = z - era * 146097;
    var yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
    var doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
    var mp = floorDiv(5 * doy + 2, 153), d = doy - floorDiv(153 * mp + 2, 5) + 1, m = mp < 10 ? mp + 3 : mp - 9;
    return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
  }

  function moment(y, mo, d, seconds) {
    y += floorDiv(mo - 1, 12);
    mo = ((mo - 1) % 12 + 12) % 12 + 1;
    return (daysFromCivil(y, mo, 1) + d - 1) * 86400 + seconds;
  }

  function timestampInRange(t) {
    if (!(t >= FIRST_SECOND && t <= LAST_SECOND)) throw new FunctionError("the date is out of range (years 1 to 9999)");
  }

  function pad(n, width) { return String(n).padStart(width, "0"); }

  function phpDate(format, timestamp) {
    if (isEmpty(timestamp)) return "";
    var t = whole(numbers([timestamp])[0]);
    timestampInRange(t);
    var days = floorDiv(t, 86400), second = t - days * 86400, ymd = civilFromDays(days);
    var y = ymd[0], mo = ymd[1], d = ymd[2];
    var leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    var weekday = ((days + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday: Monday is 0
    var parts = {
      Y: pad(y, 4), y: pad(y % 100, 2), m: pad(mo, 2), n: String(mo), d: pad(d, 2), j: String(d),
      H: pad(floorDiv(second, 3600), 2), i: pad(floorDiv(second, 60) % 60, 2), s: pad(second % 60, 2),
      D: WEEKDAYS[weekday].slice(0, 3), l: WEEKDAYS[weekday], N: String(weekday + 1), w: String((weekday + 1) % 7),
      z: String(days - daysFromCivil(y, 1, 1)), t: String([31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]),
      L: leap ? "1" : "0",
    };
    var chars = Array.from(asText(format)), out = "";
    for (var k = 0; k < chars.length; k++) {
      var c = chars[k];
      if (c === "\\") { out += chars[k + 1] || ""; k++; continue; }
      if (DATE_LETTERS.indexOf(c) >= 0) out += parts[c];
      else if (/^[A-Za-z]$/.test(c)) {
        throw new FunctionError("date(): the format letter '" + c + "' is not supported (only "
          + DATE_LETTERS.split("").sort().join(" ") + ")");
      } else out += c;
    }
    return out;
  }

  function phpMktime(values) {
    for (var v of values) if (isEmpty(v)) return null;
    var n = values.map(function (v) { return whole(numbers([v])[0]); });
    for (var x of n) if (Math.abs(x) > 1e9) throw new FunctionError("mktime(): a number is too large");
    var y = n[5];
    if (y >= 0 && y <= 69) y += 2000;
    else if (y >= 70 && y <= 100) y += 1900;
    var t = moment(y, n[3], n[4], n[0] * 3600 + n[1] * 60 + n[2]);
    timestampInRange(t);
    return norm(t);
  }

  function phpStrtotime(text) {
    var m = ISO_MOMENT.exec(asText(text));
    if (!m) return null;
    var y = +m[1], mo = +m[2], d = +m[3], h = m[4] ? +m[4] : 0, mi = m[5] ? +m[5] : 0, s = m[6] ? +m[6] : 0;
    if (mo > 12 || d > 31 || h > 24 || mi > 59 || s > 60) return null;
    var offset = 0, zone = m[7];
    if (zone && zone !== "Z") {
      var digits = zone.slice(1).replace(":", "");
      offset = (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60 * (zone[0] === "-" ? -1 : 1);
    }
    return norm(moment(y, mo, d, h * 3600 + mi * 60 + s) - offset);
  }

  var MAX_TEXT = 100000;
  function checkedText(text) {
    if (text.length > MAX_TEXT && Array.from(text).length > MAX_TEXT) {
      throw new FunctionError("the text would be longer than 100,000 characters");
    }
    return text;
  }

  var PHP_SPACE_START = /^[ \t\n\r\0\x0b]+/, PHP_SPACE_END = /[ \t\n\r\0\x0b]+$/;
  var PHP_NUMERIC = /^[ \t\n\r\v\f]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$/;

  function whole(n) {
    if (!isFinite(n)) throw new FunctionError("the number is too large");
    return norm(Math.trunc(n));
  }

  /* A whole-number argument (a position, a length); empty gives `fallback`. */
  function wholeArg(v, fallback) { return isEmpty(v) ? fallback : whole(numbers([v])[0]); }

  /* Where `needle` first occurs in `haystack`, in characters from 0; false if nowhere. */
  function position(haystack, needle) {
    var found = haystack.indexOf(needle);
    return found < 0 ? false : Array.from(haystack.slice(0, found)).length;
  }

  /* PHP's round(): see _php_round() in Python. */
  function phpRound(n, d) {
    if (n === 0 || !isFinite(n)) return n;
    var ten = function (k) { return Number("1e" + k); };
    var shift = function (x, k) { return k >= 0 ? x * ten(k) : x / ten(-k); };
    var halfUp = function (x) { return x >= 0 ? Math.floor(x + 0.5) : Math.ceil(x - 0.5); };
    var precise = 14 - Math.floor(Math.log10(Math.abs(n))), scaled;
    if (d < precise && precise < d + 15) {
      scaled = halfUp(shift(n, precise)) / ten(precise - d);
    } else {
      scaled = shift(n, d);
      if (Math.abs(scaled) >= 1e15) return n;
    }
    return shift(halfUp(scaled), -d);
  }

  /* countifop's and sumifop's test `x op value` (_passes in Python). */
  var OPERATORS = {"==": "==", "eq": "==", "!=": "!=", "ne": "!=", "<": "<", "lt": "<", "<=": "<=", "le": "<=",
                   ">": ">", "gt": ">", ">=": ">=", "ge": ">=", "RX": "RX"};
  function passes(op, value) {
    var spelled = asText(op);
    if (!Object.prototype.hasOwnProperty.call(OPERATORS, spelled)) {
      throw new FunctionError("unknown operator " + strRepr(spelled) + " (one of " + Object.keys(OPERATORS).join(", ") + ")");
    }
    var o = OPERATORS[spelled];
    if (o === "==") return function (x) { return equal(x, value); };
    if (o === "!=") return function (x) { return !equal(x, value); };
    if (o === "RX") return function (x) { return !isEmpty(x) && FUNCTIONS.regexMatch(value, x); };
    return function (x) { return order(o, x, value); };
  }

  /* PHP's sprintf() for %s %d %f %F %% (_sprintf in Python). */
  var FORMAT = /%((?:[-+ 0]|'[\s\S])*)(\d+)?(?:\.(\d+))?([\s\S]?)/g;
  function sprintf(template, args) {
    var out = "", used = 0, pos = 0, m;
    FORMAT.lastIndex = 0;
    while ((m = FORMAT.exec(template)) !== null) {
      out += template.slice(pos, m.index);
      pos = FORMAT.lastIndex;
      var flags = m[1], conversion = m[4];
      if (conversion === "%" && m[0] === "%%") { out += "%"; continue; }
      if (["s", "d", "f", "F"].indexOf(conversion) < 0) {
        throw new FunctionError("sprintf() does not support " + strRepr(m[0]) + " (only %s, %d, %f and %%)");
      }
      if (used >= args.length) throw new FunctionError("sprintf(): " + strRepr(m[0]) + " has no argument");
      var value = args[used++], width = Number(m[2] || 0), precision = m[3] === undefined ? null : Number(m[3]);
      if (width > 500 || (precision || 0) > 53) throw new FunctionError("sprintf(): " + strRepr(m[0]) + " is too wide");
      var body, negative = false, numeric = conversion !== "s", sign = "";
      if (conversion === "s") {
        body = asText(value);
        if (precision !== null) body = Array.from(body).slice(0, precision).join("");
      } else if (conversion === "d") {
        var n = FUNCTIONS.intval(value);
        body = String(Math.abs(n)); negative = n < 0;
      } else {
        var f = FUNCTIONS.floatval(value);
        body = fixedDigits(Math.abs(f), precision === null ? 6 : precision); negative = f < 0;
      }
      if (numeric) sign = negative ? "-" : flags.indexOf("+") >= 0 ? "+" : "";
      var quote = flags.lastIndexOf("'");
      var pad = quote >= 0 ? flags[quote + 1] : flags.indexOf("0") >= 0 ? "0" : " ";
      var missing = Math.max(width - sign.length - Array.from(body).length, 0);
      if (flags.indexOf("-") >= 0) out += sign + body + (pad === "0" ? " " : pad).repeat(missing);
      else if (pad === "0" && numeric) out += sign + "0".repeat(missing) + body;
      else out += pad.repeat(missing) + sign + body;
      checkedText(out);
    }
    return checkedText(out + template.slice(pos));
  }

  /* A pattern computed while the survey runs, as [JavaScript source, flags]: PHP's
     delimiters dropped and its flags i m s kept, as regex_body() does in Python (a
     flag JavaScript lacks, such as x, is refused by RegExp). */
  function regexBody(p) {
    if (p.length >= 2 && "/#~@%!".indexOf(p[0]) >= 0) {
      var end = p.lastIndexOf(p[0]);
      if (end > 0 && /^[A-Za-z]*$/.test(p.slice(end + 1))) return [p.slice(1, end), p.slice(end + 1).replace(/u/g, "")];
    }
    return [p, ""];
  }

  /* A pattern compiled from Python syntax by qengine/expr/patterns.py, or the
     error Python's re module gave for it. */
  function Pattern(regexp, error) { this.regexp = regexp; this.error = error; }
  var patterns = new Map();
  function re(source, flags) {
    var key = flags + "/" + source;
    if (!patterns.has(key)) patterns.set(key, new Pattern(new RegExp(source, flags), null));
    return patterns.get(key);
  }
  function badRe(message) { return new Pattern(null, message); }

  /* The functions expressions call, by name: the `js` source of each row of
     qengine/expr/functions.py, written in here by to_js.runtime() when the form is
     made. The row's code sees this file's helpers (numbers, asText, equal, ...). */
  var FUNCTIONS = {
    /* function table */
  };

  function call(name, args) {
    try {
      return FUNCTIONS[name].apply(null, args);
    } catch (err) {
      if (err instanceof FunctionError) throw new EvaluationError(name + "(): " + err.message);
      throw err;
    }
  }

  // ------------------------------------------------------------------ answers
  function message(spec, key, values) {
    return spec.messages[key].replace(/\{(\w+)\}/g, function (_, name) { return asText(values[name]); });
  }

  function isNumber(x) { return typeof x === "number" && isFinite(x); }
  function codeOf(x) {
    if (typeof x === "string") return x;
    if (typeof x === "number" && Number.isInteger(x)) return numberText(x);
    return null;
  }
  function short(raw) {
    var text = pyRepr(raw);
    return Array.from(text).length <= 60 ? text : Array.from(text).slice(0, 57).join("") + "...";
  }
  function isObject(x) { return x !== null && typeof x === "object" && !Array.isArray(x); }
  function codes(items) { return items.map(function (i) { return i.code; }).join(", "); }
  function find(items, code) {
    for (var i of items) if (i.code === code) return i;
    return null;
  }

  function gridDefaults(q) {
    var out = {};
    if (q.default === null) return out;
    for (var r of q.rows) {
      out[r.code] = {};
      for (var c of q.columns) out[r.code][c.code] = q.default;
    }
    return out;
  }

  /* The stored form of `raw` (answers.coerce), or MalformedAnswer. Each kind's own
     rules (qengine/kinds/) by the shape of its answer: a kind picks a shape, and
     its checks here read the data the survey module gives (Kind.answer_check). */
  function coerce(q, raw) {
    var code = q.code;
    if (raw === null || raw === undefined) return null;
    function bad(expected) { return new MalformedAnswer(code, "expected " + expected + ", got " + short(raw)); }
    var value, out;
    switch (q.shape) {
      case "choice":
        value = codeOf(raw);
        if (value === null) throw bad("an option code (a string)");
        if (!find(q.options, value)) {
          throw new MalformedAnswer(code, strRepr(value) + " is not an option; options: " + codes(q.options));
        }
        return value;
      case "choices": {
        if (!Array.isArray(raw)) throw bad("a list of option codes");
        var ticked = new Set();
        for (var item of raw) {
          value = codeOf(item);
          if (value === null || !find(q.options, value)) {
            throw new MalformedAnswer(code, pyRepr(item) + " is not an option; options: " + codes(q.options));
          }
          if (ticked.has(value)) throw new MalformedAnswer(code, "option " + strRepr(value) + " is given twice");
          ticked.add(value);
        }
        out = q.options.filter(function (o) { return ticked.has(o.code); }).map(function (o) { return o.code; });
        return out.length ? out : null;
      }
      case "row_choice":
        if (!isObject(raw)) throw bad('an object {"row": "column"}');
        out = {};
        for (var row of Object.keys(raw)) {
          if (!find(q.rows, row)) throw new MalformedAnswer(code, strRepr(row) + " is not a row; rows: " + codes(q.rows));
          if (raw[row] === null) continue;
          value = codeOf(raw[row]);
          if (value === null || !find(q.columns, value)) {
            throw new MalformedAnswer(code, pyRepr(raw[row]) + " is not a column of row " + strRepr(row) +
              "; columns: " + codes(q.columns));
          }
          out[row] = value;
        }
        return Object.keys(out).length ? out : null;
      case "row_cells": {
        if (!isObject(raw)) throw bad('an object {"row": {"column": number}}');
        out = gridDefaults(q);
        for (var r of Object.keys(raw)) {
          if (!find(q.rows, r)) throw new MalformedAnswer(code, strRepr(r) + " is not a row; rows: " + codes(q.rows));
          var cells = raw[r];
          if (!isObject(cells)) {
            throw new MalformedAnswer(code, "row " + strRepr(r) + ': expected an object {"column": number}, got ' +
              short(cells));
          }
          for (var col of Object.keys(cells)) {
            if (!find(q.columns, col)) {
              throw new MalformedAnswer(code, strRepr(col) + " is not a column; columns: " + codes(q.columns));
            }
            if (cells[col] === null) {
              if (out[r]) delete out[r][col];
              continue;
            }
            if (!isNumber(cells[col])) {
              throw new MalformedAnswer(code, "cell " + r + "/" + col + ": expected a number, got " + short(cells[col]));
            }
            (out[r] = out[r] || {})[col] = cells[col];
          }
        }
        var kept = {};
        for (var k of Object.keys(out)) if (Object.keys(out[k]).length) kept[k] = out[k];
        return Object.keys(kept).length ? kept : null;
      }
      case "number":
        if (!isNumber(raw)) throw bad("a number");
        return raw;
      case "text":
        if (typeof raw !== "string") throw bad("a string");
        return raw || null;
      case "none":
        throw new MalformedAnswer(code, q.kind + " questions are not answered");
    }
    throw new MalformedAnswer(code, "cannot be answered");
  }

  /* Whether a text writes a real date as YYYY-MM-DD (the date kind's parse_date). */
  function isDate(text) {
    var m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text);
    if (!m) return false;
    var y = +m[1], mo = +m[2], d = +m[3];
    if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
    var leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  }

  function bounds(spec, q, value) {
    if (q.integer && !Number.isInteger(value)) return message(spec, "not_integer", {});
    if (q.min !== null && value < q.min) return message(spec, "below_min", { n: q.min });
    if (q.max !== null && value > q.max) return message(spec, "above_max", { n: q.max });
    return null;
  }

  /* Why a well-formed value is not acceptable now (answers.refusal), or null. */
  function refusal(spec, q, value, offered) {
    if (value === null) return null;
    switch (q.shape) {
      case "choice":
        if (!offered.has(value)) return message(spec, "not_offered", { value: value });
        break;
      case "choices":
        for (var v of value) if (!offered.has(v)) return message(spec, "not_offered", { value: v });
        if (q.max !== null && value.length > q.max) return message(spec, "max_ticks", { n: q.max });
        if (value.length > 1) {
          for (var c of value) {
            var option = find(q.options, c);
            if (option.exclusive) return message(spec, "exclusive", { label: option.plain });
          }
        }
        break;
      case "row_choice":
        for (var row of Object.keys(value)) if (!offered.has(row)) return message(spec, "not_offered", { value: row });
        break;
      case "row_cells":
        for (var r of Object.keys(value)) {
          for (var col of Object.keys(value[r])) {
            var problem = bounds(spec, q, value[r][col]);
            if (problem) return problem;
          }
        }
        break;
      case "number":
        return bounds(spec, q, value);
      case "text":
        if (q.maxLength !== null && Array.from(value).length > q.maxLength) {
          return message(spec, "too_long", { n: q.maxLength });
        }
        if (q.pattern !== null && !q.pattern.regexp.test(value)) return message(spec, "pattern", {});
        if (q.date) {
          if (!isDate(value)) return message(spec, "not_date", {});
          if (q.min !== null && value < q.min) return message(spec, "date_min", { n: q.min });
          if (q.max !== null && value > q.max) return message(spec, "date_max", { n: q.max });
        }
    }
    return null;
  }

  function toJSON(v) { return v === undefined ? null : clone(v); }
  function clone(v) {
    if (Array.isArray(v)) return v.slice();
    if (isObject(v)) {
      var out = {};
      for (var k of Object.keys(v)) out[k] = clone(v[k]);
      return out;
    }
    return v;
  }
  function same(a, b) {
    if (a === b) return true;
    if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    var ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (var k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !same(a[k], b[k])) return false;
    return true;
  }

  // ------------------------------------------------------------------ session
  var HIDDEN = null;

  function Session(spec, options) {
    options = options || {};
    this.spec = spec;
    this.language = spec.language;
    this.byCode = {};
    for (var q of spec.questions) this.byCode[q.code] = q;
    this.groupsByCode = {};
    for (var g of spec.groups) this.groupsByCode[g.code] = g;
    this.index = {};
    spec.graph.nodes.forEach(function (n, i) { this.index[n] = i; }, this);
    this.answers = new Map();
    for (var qq of spec.questions) if (qq.initial !== null) this.answers.set(qq.code, clone(qq.initial));
    this.results = new Map();
    this.recomputeAll();
    this.format = options.format || spec.format;
    if (!spec.pages[this.format]) throw new Error("unknown format " + this.format);
    this.pages = spec.pages[this.format];
    this.pageIndex = -1;
    this.lastProblems = [];
    this.pageIndex = this.findPage(0, +1);
    if (options.answers) {
      for (var code of Object.keys(options.answers)) this.answer(code, options.answers[code]);
    }
  }

  Session.prototype = {
    // -------------------------------------------------------------- evaluation
    compute: function (node) {
      var colon = node.indexOf(":"), kind = node.slice(0, colon), code = node.slice(colon + 1);
      if (kind === "group") {
        var cond = this.groupsByCode[code].when;
        return cond === null || truthy(cond(this));
      }
      var q = this.byCode[code];
      if (kind === "rel") {
        if (!this.results.get("group:" + q.group)) return false;
        return q.when === null || truthy(q.when(this));
      }
      if (kind === "val") {
        if (!this.results.get("rel:" + code)) return null;
        if (q.value !== null) return q.value(this);  // an equation's computed value
        return this.filtered(q, this.answers.has(code) ? this.answers.get(code) : null);
      }
      return this.results.get("rel:" + code) ? this.makeView(q) : HIDDEN;
    },

    filtered: function (q, value) {
      if (value === null) return null;
      var offered, kept;
      if (q.shape === "choice") return this.offered(q).has(value) ? value : null;
      if (q.shape === "choices") {
        offered = this.offered(q);
        kept = value.filter(function (v) { return offered.has(v); });
        return kept.length ? kept : null;
      }
      if (q.shape === "row_choice" || q.shape === "row_cells") {
        offered = this.offered(q);
        kept = {};
        for (var r of Object.keys(value)) if (offered.has(r)) kept[r] = value[r];
        return Object.keys(kept).length ? kept : null;
      }
      return value;
    },

    offered: function (q) {
      var items = q.options || q.rows || [], out = new Set();
      for (var i of items) if (i.when === null || truthy(i.when(this))) out.add(i.code);
      return out;
    },

    recomputeAll: function () {
      for (var node of this.spec.graph.nodes) this.results.set(node, this.compute(node));
    },

    /* Recompute what depends on `changed` (node names), in topological order; returns
       the nodes whose result changed (every view recomputed counts as changed), which
       is what the form redraws. */
    propagate: function (changed) {
      var nodes = this.spec.graph.nodes, dependents = this.spec.graph.dependents;
      var heap = new MinHeap(), queued = new Set(), out = new Set();
      for (var c of changed) {
        var i = this.index[c];
        if (!queued.has(i)) { queued.add(i); heap.push(i); }
      }
      while (heap.size()) {
        var at = heap.pop(), node = nodes[at];
        queued.delete(at);
        var fresh = this.compute(node);
        if (this.results.has(node) && node.slice(0, 5) !== "view:" && same(this.results.get(node), fresh)) continue;
        this.results.set(node, fresh);
        out.add(node);
        for (var d of dependents[at]) {
          if (!queued.has(d)) { queued.add(d); heap.push(d); }
        }
      }
      return out;
    },

    // -------------------------------------------------------------- environment
    v: function (code, a, b) {
      var v = this.results.get("val:" + code);
      if (v === null || a === undefined) return v;
      var q = this.byCode[code];
      if (q.shape === "choices") return v.indexOf(a) >= 0 ? "Y" : null;
      if (q.shape === "row_choice") return has(v, a) ? v[a] : null;
      return has(v, a) && has(v[a], b) ? v[a][b] : null;
    },

    vis: function (code) { return Boolean(this.results.get("rel:" + code)); },

    sh: function (code, a, b) {
      var value = this.v(code, a, b);
      if (value === null) return "";
      var view = this.results.get("view:" + code);
      if (view === null) return asText(value);
      var q = this.byCode[code];
      if (q.shape === "choice") return label(view.options, value);
      if (q.shape === "choices") {
        if (a !== undefined) return label(view.options, a);
        return value.map(function (v) { return label(view.options, v); }).join(", ");
      }
      if (q.shape === "row_choice") return label(view.columns, value);
      return asText(value);
    },

    /* `.question`: the wording of the question, or of its option or row; a grid
       cell's is "row[column]" (wording() of qengine/kinds/attributes.py). */
    qt: function (code, a, b) {
      var q = this.byCode[code], self = this;
      var read = function (item) { return item ? self.text(item.label) : ""; };
      var find = function (items, c) { return (items || []).filter(function (i) { return i.code === c; })[0]; };
      if (a === undefined) return this.text(q.text) || "";
      if (q.shape === "choices") return read(find(q.options, a));
      if (b === undefined) return read(find(q.rows, a));
      return read(find(q.rows, a)) + "[" + read(find(q.columns, b)) + "]";
    },

    /* `.type`: LimeSurvey's type letter, decided in Python (spec.py). */
    ty: function (code) { return this.byCode[code].typeLetter; },

    // -------------------------------------------------------------- views
    text: function (t) {
      if (t === null) return null;
      return typeof t === "function" ? t(this) : t;
    },

    makeView: function (q) {
      var self = this, options = [], rows = [], columns = [], offered;
      if (q.options) {
        offered = this.offered(q);
        options = q.options.filter(function (o) { return offered.has(o.code); }).map(function (o) {
          return { code: o.code, label: self.text(o.label), exclusive: o.exclusive };
        });
      }
      if (q.rows) {
        offered = this.offered(q);
        rows = q.rows.filter(function (r) { return offered.has(r.code); }).map(function (r) {
          return { code: r.code, label: self.text(r.label), exclusive: false };
        });
        columns = q.columns.map(function (c) { return { code: c.code, label: self.text(c.label), exclusive: false }; });
      }
      return {
        code: q.code, kind: q.kind, number: q.number, text: this.text(q.text) || "",
        help: this.text(q.help), mandatory: q.mandatory, options: options, rows: rows, columns: columns,
        prefix: this.text(q.prefix), suffix: this.text(q.suffix), min: q.min, max: q.max,
        problems: this.problemsOf(q, rows),
      };
    },

    problemsOf: function (q, rows) {
      if (q.shape === "none") return [];
      var value = this.results.get("val:" + q.code), out = [];
      if (isEmpty(value)) {
        if (q.mandatory) out.push(message(this.spec, "mandatory", {}));
      } else {
        if (q.mandatory && q.shape === "row_choice" && Object.keys(value).length < rows.length) {
          out.push(message(this.spec, "mandatory_rows", {}));
        }
        if (q.mandatory && q.shape === "row_cells" && rows.some(function (r) {
          return Object.keys(has(value, r.code) ? value[r.code] : {}).length < q.columns.length;
        })) {
          out.push(message(this.spec, "mandatory_cells", {}));
        }
        if (q.shape === "choices" && q.min !== null && value.length < q.min) {
          out.push(message(this.spec, "min_ticks", { n: q.min }));
        }
        for (var rule of q.validations) {
          if (!truthy(rule.rule(this))) out.push(this.text(rule.message));
        }
      }
      return out;
    },

    // -------------------------------------------------------------- public API
    question: function (code) {
      var q = this.byCode[code];
      if (!q) throw new AnswerError(code, "no such question in this survey");
      return q;
    },
    view: function (code) { return this.results.get("view:" + this.question(code).code); },
    isVisible: function (code) { return Boolean(this.results.get("rel:" + this.question(code).code)); },
    currentValue: function (code) { return toJSON(this.results.get("val:" + this.question(code).code)); },
    given: function (code) {
      var q = this.question(code);
      return this.answers.has(q.code) ? toJSON(this.answers.get(q.code)) : null;
    },

    /* Answer a shown question, by question code or by variable (q_option, q_row,
       q_row_column). Throws AnswerError and stores nothing when refused; else returns
       the change set (see set). */
    answer: function (name, value) {
      var whole = this.wholeAnswer(name, value), q = whole[0];
      var stored = coerce(q, whole[1]);
      if (!this.isVisible(q.code)) throw new AnswerError(q.code, message(this.spec, "hidden", {}));
      var offered = q.options || q.rows ? this.offered(q) : new Set();
      if (q.shape === "row_choice" && stored !== null) {
        // Rows answered earlier and hidden now keep their answer untouched.
        var previous = this.answers.has(q.code) ? this.answers.get(q.code) : {};
        for (var row of Object.keys(stored)) {
          if (has(previous, row) && same(previous[row], stored[row])) offered.add(row);
        }
      }
      var problem = refusal(this.spec, q, stored, offered);
      if (problem) throw new AnswerError(q.code, problem);
      return this.set(q.code, stored);
    },

    clear: function (code) { return this.set(this.question(code).code, null); },

    /* Store an answer; returns the change set: the graph's nodes ("rel:q", "val:q",
       "view:q", "group:g") whose result changed, empty when nothing did. */
    set: function (code, stored) {
      if (stored === null) {
        if (!this.answers.has(code) || this.answers.get(code) === null) return new Set();
        this.answers.delete(code);
      } else if (this.answers.has(code) && same(this.answers.get(code), stored)) {
        return new Set();
      } else {
        this.answers.set(code, stored);
      }
      return this.propagate(["val:" + code]);
    },

    wholeAnswer: function (name, value) {
      if (has(this.byCode, name)) return [this.byCode[name], value];
      var symbol = has(this.spec.symbols, name) ? this.spec.symbols[name] : null;
      if (symbol === null) throw new AnswerError(name, "no such question or variable in this survey");
      var q = this.byCode[symbol[0]], current = this.answers.has(q.code) ? this.answers.get(q.code) : null;
      if (q.shape === "choices") {
        var ticked = new Set(current || []);
        if (value === null || value === undefined || value === "" || value === false || value === 0) {
          ticked.delete(symbol[1]);  // Python: value in (None, "", False), and 0 == False
        } else ticked.add(symbol[1]);
        return [q, Array.from(ticked).sort(function (x, y) { return textLess(x, y) ? -1 : textLess(y, x) ? 1 : 0; })];
      }
      var out = clone(current || {});
      if (q.shape === "row_choice") {
        out[symbol[1]] = value;
        return [q, out];
      }
      // Every other cell as it stands, a blank one as an explicit null: a cell the
      // respondent cleared must not come back to the grid's default.
      out = {};
      for (var r of q.rows) {
        out[r.code] = {};
        for (var c of q.columns) out[r.code][c.code] = null;
      }
      for (var given of Object.keys(current || {})) Object.assign(out[given], current[given]);
      out[symbol[1]][symbol[2]] = value;
      return [q, out];
    },

    // -------------------------------------------------------------- navigation
    get page() {
      return this.pageIndex >= 0 && this.pageIndex < this.pages.length ? this.pages[this.pageIndex] : null;
    },
    get pageNumber() { return this.pageIndex; },
    get finished() { return this.pageIndex >= this.pages.length; },

    questions: function (page) {
      page = page || this.page;
      if (page === null) return [];
      var out = [];
      for (var code of page.questions) {
        var view = this.results.get("view:" + code);
        if (view !== null && this.byCode[code].value === null) out.push(view);
      }
      return out;
    },

    problems: function (page) {
      var out = [];
      for (var v of this.questions(page)) for (var m of v.problems) out.push({ question: v.code, message: m });
      return out;
    },

    hasVisible: function (page) {
      for (var code of page.questions) {
        if (this.results.get("rel:" + code) && this.byCode[code].value === null) return true;
      }
      return false;
    },

    findPage: function (start, step) {
      var i = start;
      while (i >= 0 && i < this.pages.length && !this.hasVisible(this.pages[i])) i += step;
      return step < 0 ? Math.max(i, -1) : Math.min(i, this.pages.length);
    },

    next: function () {
      if (this.finished) return false;
      this.lastProblems = this.problems();
      if (this.lastProblems.length) return false;
      this.pageIndex = this.findPage(this.pageIndex + 1, +1);
      return true;
    },

    back: function () {
      var target = this.findPage(Math.min(this.pageIndex, this.pages.length) - 1, -1);
      if (target < 0) return false;
      this.pageIndex = target;
      this.lastProblems = [];
      return true;
    },

    groupTexts: function (code) {
      var g = this.groupsByCode[code];
      return [this.text(g.title) || "", this.text(g.description)];
    },
    groupVisible: function (code) { return Boolean(this.results.get("group:" + code)); },

    allProblems: function () {
      var out = [];
      for (var page of this.pages) out = out.concat(this.problems(page));
      return out;
    },

    submit: function () {
      this.lastProblems = this.allProblems();
      if (this.lastProblems.length) throw new IncompleteError(this.lastProblems);
      this.pageIndex = this.pages.length;
      return this.response();
    },

    /* The answers of the questions shown now and the equations' values; a shown
       question left blank is null; hidden answers stay in the session only. */
    response: function () {
      var out = {};
      for (var q of this.spec.questions) {
        if ((q.shape === "none" && q.value === null) || !this.results.get("rel:" + q.code)) continue;
        out[q.code] = toJSON(this.results.get("val:" + q.code));
      }
      return out;
    },

    // -------------------------------------------------------------- save and resume
    toJSON: function () {
      var answers = {};
      this.answers.forEach(function (v, code) { answers[code] = toJSON(v); });
      return { qengine: "session/1", survey: this.spec.code, format: this.format, page: this.pageIndex,
        answers: answers };
    },
  };

  /* Resume a session saved by toJSON (Session.from_json). */
  Session.fromJSON = function (spec, data) {
    if (!isObject(data) || data.qengine !== "session/1") throw new AnswerError("session", "not a saved qengine session");
    if (data.survey !== spec.code) {
      throw new AnswerError("session", "saved for survey " + pyRepr(data.survey) + ", not " + strRepr(spec.code));
    }
    var session = new Session(spec, { format: data.format || undefined });
    var saved = data.answers || {};
    if (!isObject(saved)) throw new AnswerError("session", "answers must be an object");
    session.answers = new Map();
    for (var code of Object.keys(saved)) {
      var stored = coerce(session.question(code), saved[code]);
      if (stored !== null) session.answers.set(code, stored);
    }
    session.recomputeAll();
    var page = data.page === undefined ? 0 : data.page;
    session.pageIndex = Number.isInteger(page) && page >= -1 && page <= session.pages.length ? page : 0;
    return session;
  };

  function has(obj, key) { return obj !== null && Object.prototype.hasOwnProperty.call(obj, key); }

  function label(choices, code) {
    for (var c of choices) if (c.code === code) return c.label;
    return asText(code);
  }

  /* The smallest node index first: the graph's topological order. */
  function MinHeap() { this.items = []; }
  MinHeap.prototype = {
    size: function () { return this.items.length; },
    push: function (x) {
      var a = this.items, i = a.length;
      a.push(x);
      while (i > 0) {
        var p = (i - 1) >> 1;
        if (a[p] <= a[i]) break;
        var t = a[p]; a[p] = a[i]; a[i] = t; i = p;
      }
    },
    pop: function () {
      var a = this.items, top = a[0], last = a.pop();
      if (a.length) {
        a[0] = last;
        var i = 0;
        for (;;) {
          var l = 2 * i + 1, r = l + 1, m = i;
          if (l < a.length && a[l] < a[m]) m = l;
          if (r < a.length && a[r] < a[m]) m = r;
          if (m === i) break;
          var t = a[m]; a[m] = a[i]; a[i] = t; i = m;
        }
      }
      return top;
    },
  };

  return {
    // what compiled expressions call
    truthy: truthy, eq: equal, order: order, scalar: scalar, arith: arith, neg: neg, call: call,
    text: asText, re: re, badRe: badRe,
    // the rest of the runtime
    isEmpty: isEmpty, asNumber: asNumber, asText: asText, pyRepr: pyRepr, message: message,
    Session: Session, EvaluationError: EvaluationError, AnswerError: AnswerError,
    MalformedAnswer: MalformedAnswer, IncompleteError: IncompleteError,
  };
});
