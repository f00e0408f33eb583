// The one definition of a citation marker: "[3]", or a group such as "[1, 4]" / "[2; 5]". Every
// module that reads, strips or moves markers uses these, so they all agree on what a marker is.

const MARKER_SOURCE = String.raw`\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]`;

/** A fresh global regex for one marker; group 1 holds the numbers ("1, 4"). */
export function markerPattern(): RegExp {
  return new RegExp(MARKER_SOURCE, "g");
}

/** A fresh global regex for one marker with the white space before it (to strip it cleanly). */
export function spacedMarkerPattern(): RegExp {
  return new RegExp(String.raw`\s*${MARKER_SOURCE}`, "g");
}

/** The numbers a marker group names, in order ("1, 4" → [1, 4]). */
export function markerNumbers(group: string): number[] {
  return group.split(/[,;]/).map((part) => Number(part.trim()));
}

/** The numbers of every marker in `text`, in order of appearance. */
export function citedNumbers(text: string): number[] {
  return [...text.matchAll(markerPattern())].flatMap((m) => markerNumbers(m[1] ?? ""));
}

/** `text` without its markers (and the space before each). */
export function withoutMarkers(text: string): string {
  return text.replace(spacedMarkerPattern(), "");
}

/**
 * Markers written after the full stop ("... Oman. [2]") moved before it, so they stay with their
 * sentence. Never across a line break: a line that opens with a marker is a list of sources.
 */
export function markersBeforeStops(text: string): string {
  return text.replace(new RegExp(String.raw`([.!?])((?:[ \t]*${MARKER_SOURCE})+)`, "g"), "$2$1");
}
