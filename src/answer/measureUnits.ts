// Numbers and measures in a sentence: the words and digits that count ("six", "2.3 million",
// "several"), and the units a measure question is answered in ("how tall": feet or metres; "how much
// did it cost": money; "how old": years old).

export const NUMBER_WORD =
  "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|half";
// Words that answer "how many" without a number ("several", "none").
const QUANTIFIER = "several|a few|dozens|scores|none|nobody|no one";
// A digit inside a name ("i24", "F-35", "Shahed-139") is not a quantity.
export const NUMBER = new RegExp(
  `(?<![\\p{L}\\d-])\\d[\\d,.]*|\\b(?:${NUMBER_WORD}|${QUANTIFIER})\\b`,
  "giu",
);

// What a measure is given in: "how high" is answered by "25 feet", not by "six workers".
const ANY_UNIT =
  /^(?:feet|foot|ft|inch(?:es)?|yards?|miles?|mph|knots?|metres?|meters?|m|cm|mm|km|kilomet(?:re|er)s?|centimet(?:re|er)s?|millimet(?:re|er)s?|tons?|tonnes?|pounds?|lbs?|kg|kilograms?|grams?|ounces?|gallons?|litres?|liters?|barrels?|degrees?|°[cf]?|percent|per|cent|dollars?|euros?|years?|storeys?|stories|floors?|acres?|hectares?)$/i;
const CURRENCY_OR_PERCENT = /[$£€¥]\s?\d|\d\s?(?:%|°)/;

/** A number with a unit of the kind asked for ("25 feet" for "how tall", "$628,000" for "how much did it cost"). */
export function hasMeasure(sentence: string, typeNoun: string | undefined): boolean {
  const units = unitsFor(typeNoun);
  if (units.symbol?.test(sentence)) return true;
  for (const found of sentence.matchAll(NUMBER)) {
    const after = sentence
      .slice((found.index ?? 0) + found[0].length)
      .match(/^[\s-]*(?:million\s+|billion\s+)?([\p{L}°]+)(?:[\s-]+([\p{L}]+))?/u);
    // "33.5 metres wide" answers no "how deep": a length says what it measures after its unit.
    const dimension = DIMENSION[after?.[2]?.toLowerCase() ?? ""];
    if (dimension && DIMENSION[typeNoun ?? ""] && dimension !== DIMENSION[typeNoun ?? ""]) continue;
    if (after?.[1] && units.word.test(after[1])) return true;
    if (units.age && after?.[1] && /^years?$/i.test(after[1]) && /^old$/i.test(after[2] ?? "")) return true;
  }
  return units.age === true && /\b(?:aged|age)\s+\d{1,3}\b|\b\d{1,3}-year-old\b/i.test(sentence);
}

interface Units {
  /** The unit's word after the number. */
  word: RegExp;
  /** A sign that makes a number a measure of its own ("$", "%"). */
  symbol?: RegExp;
  /** "How old": "62 years old", "aged 62". */
  age?: boolean;
}

const LENGTH: Units = {
  word: /^(?:feet|foot|ft|inch(?:es)?|yards?|miles?|metres?|meters?|m|cm|mm|km|kilomet(?:re|er)s?|centimet(?:re|er)s?|millimet(?:re|er)s?|storeys?|stories|floors?)$/i,
};
const MONEY: Units = {
  word: /^(?:dollars?|euros?|pounds|shekels?|yuan|yen|rupees?|cents?)$/i,
  symbol: /[$£€¥₪]\s?\d/,
};
const MASS: Units = { word: /^(?:tons?|tonnes?|pounds?|lbs?|kg|kilograms?|grams?|ounces?)$/i };
const TEMPERATURE: Units = { word: /^(?:degrees?|°[cf]?)$/i, symbol: /\d\s?°/ };
const SPEED: Units = { word: /^(?:mph|knots?|km\/h|miles|kilomet(?:re|er)s)$/i };
const SHARE: Units = { word: /^(?:percent|per|cent)$/i, symbol: /\d\s?%/ };
const AGE: Units = { word: /^$/, age: true };
const MEASURE_UNITS: Record<string, Units> = {
  cost: MONEY,
  price: MONEY,
  expensive: MONEY,
  weight: MASS,
  heavy: MASS,
  old: AGE,
  age: AGE,
  temperature: TEMPERATURE,
  hot: TEMPERATURE,
  cold: TEMPERATURE,
  warm: TEMPERATURE,
  fast: SPEED,
  speed: SPEED,
  percentage: SHARE,
  percent: SHARE,
  tall: LENGTH,
  high: LENGTH,
  height: LENGTH,
  length: LENGTH,
  wide: LENGTH,
  width: LENGTH,
  far: LENGTH,
  distance: LENGTH,
  deep: LENGTH,
  depth: LENGTH,
  thick: LENGTH,
};
const UNIT: Units = { word: ANY_UNIT, symbol: CURRENCY_OR_PERCENT };
// The dimension a length measures, by the words that name it ("how high" and "tall" are one).
const DIMENSION: Readonly<Record<string, string>> = {
  tall: "height",
  high: "height",
  height: "height",
  long: "length",
  length: "length",
  wide: "width",
  width: "width",
  deep: "depth",
  depth: "depth",
  thick: "thickness",
};

/** The units that answer a measure question ("how tall": feet, metres …); any unit for "what size". */
function unitsFor(typeNoun: string | undefined): Units {
  return (typeNoun !== undefined && MEASURE_UNITS[typeNoun]) || UNIT;
}
