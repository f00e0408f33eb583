import { NUMBER_TERM } from "./searchTerms.ts";

// General news vocabulary for query expansion: readers ask in their own words ("the PM", "heads",
// "talk") what articles write in house style ("Prime Minister", "chief", "meeting"). Only common
// titles, institutions, abbreviations and news phrasing belong here, never facts of a story.

/** Words and phrases that can stand for one another; any member found in a question adds the others. */
export const SYNONYMS: readonly (readonly string[])[] = [
  // Offices and titles
  ["pm", "prime minister", "premier"],
  ["potus", "president", "us president"],
  ["pmo", "prime minister's office"],
  ["defense minister", "defence minister", "defense secretary", "defence secretary", "minister of defense"],
  ["foreign minister", "foreign secretary", "secretary of state", "top diplomat"],
  ["envoy", "emissary", "special representative", "mediator"],
  ["head", "chief", "commander", "command", "director", "leader", "lead", "chair", "chairman"],
  ["official", "spokesperson", "spokesman", "spokeswoman"],
  ["government", "administration", "regime", "authorities"],
  // Institutions and places that stand for them
  ["us", "united states", "america", "american", "washington"],
  ["uk", "united kingdom", "britain", "british"],
  ["un", "united nations"],
  ["eu", "european union"],
  ["cia", "central intelligence agency"],
  ["fbi", "federal bureau of investigation"],
  ["idf", "israel defense forces"],
  ["irgc", "revolutionary guards"],
  ["pa", "palestinian authority"],
  ["centcom", "central command"],
  ["iaea", "nuclear watchdog", "atomic energy agency"],
  ["army", "military", "armed forces", "troops", "soldiers"],
  ["network", "broadcaster", "channel", "outlet", "news", "newspaper", "media", "station"],
  // Events and actions
  ["meeting", "meet", "met", "talks", "talk", "discussion", "discuss", "negotiations", "negotiate", "summit"],
  ["speak", "spoke", "speech", "remarks", "comments", "statement", "stated", "announced"],
  ["report", "reported", "according to"],
  ["visit", "trip", "travel", "arrive", "arrival"],
  ["begin", "start", "commence", "open", "launch", "kick off"],
  ["scheduled", "planned", "supposed", "due", "slated"],
  ["end", "conclude", "finish", "wrap up"],
  ["deal", "agreement", "accord", "treaty", "pact"],
  ["ceasefire", "truce", "armistice"],
  ["demand", "insist", "insistence", "terms"],
  ["promise", "pledge", "commitment", "vow"],
  ["trust", "rely", "reliable", "credible"],
  ["attack", "strike", "assault", "raid", "offensive"],
  ["kill", "killed", "dead", "death", "died", "fatalities"],
  ["wounded", "injured", "hurt", "casualties"],
  ["protest", "demonstration", "unrest", "riot", "uprising"],
  ["crackdown", "repression", "suppression"],
  ["weapons", "arms", "weaponry", "munitions"],
  ["missile", "rocket"],
  ["drone", "uav", "unmanned aircraft"],
  ["jet", "aircraft", "warplane", "fighter", "plane"],
  ["ship", "vessel", "boat", "tanker", "carrier", "warship", "gunboat"],
  ["nuclear", "atomic"],
  ["intelligence", "spy", "espionage"],
  ["fund", "funding", "finance", "financing", "money"],
  ["rebuild", "reconstruction", "rebuilding"],
  ["disarm", "disarmament", "demilitarization", "demilitarize"],
  ["sanctions", "embargo"],
  ["hostage", "captive", "abductee"],
  ["election", "vote", "poll", "ballot"],
];

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const RELATIVE_DAYS = ["today", "yesterday", "tomorrow", "tonight"];

/**
 * Question openings that ask for a kind of answer, and the words such answers are written with: a
 * passage that can say "how long" speaks of hours or of lasting. Matched at the start of a question only.
 */
export const ANSWER_CUES: readonly { ask: readonly string[]; answer: readonly string[] }[] = [
  {
    ask: ["how long"],
    // Days, weeks and years name durations too, but far more often dates ("this week"); a number
    // ("two years") still counts.
    answer: ["lasted", "hours", "minutes", "duration", NUMBER_TERM],
  },
  {
    ask: ["how many", "how much"],
    answer: [NUMBER_TERM],
  },
  { ask: ["which day", "what day", "when"], answer: [...WEEKDAYS, ...RELATIVE_DAYS, "date"] },
];
