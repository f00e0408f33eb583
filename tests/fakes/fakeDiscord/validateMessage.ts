import { FormErrors } from "./discordError.ts";
import type { JsonObject } from "./types.ts";

/** Discord counts characters as Unicode code points. */
export const charCount = (s: string): number => [...s].length;

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

export const MESSAGE_FLAG = {
  SuppressEmbeds: 1 << 2,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  ComponentsV2: 1 << 15,
} as const;

/**
 * Checks a message payload (channel message, interaction response data, webhook message) against Discord's
 * limits and throws 400 code 50035 "Invalid Form Body" with per-field errors, as Discord does.
 */
export function validateMessagePayload(body: JsonObject, errors = new FormErrors()): FormErrors {
  const { content, embeds, components, allowed_mentions: allowedMentions, flags } = body;
  if (content !== undefined && content !== null) {
    if (typeof content !== "string") errors.add(["content"], "BASE_TYPE_STRING", "Must be a string.");
    else if (charCount(content) > 2000)
      errors.add(["content"], "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.");
  }
  if (embeds !== undefined && embeds !== null) validateEmbeds(embeds, errors);
  const v2 = typeof flags === "number" && (flags & MESSAGE_FLAG.ComponentsV2) !== 0;
  if (components !== undefined && components !== null) validateComponents(components, v2, errors);
  if (v2 && typeof content === "string" && content.length > 0)
    errors.add(
      ["content"],
      "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
      "The 'content' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
    );
  if (allowedMentions !== undefined && allowedMentions !== null)
    validateAllowedMentions(allowedMentions, errors);
  return errors;
}

function validateEmbeds(embeds: unknown, errors: FormErrors): void {
  if (!Array.isArray(embeds)) {
    errors.add(["embeds"], "BASE_TYPE_ARRAY", "Must be an array.");
    return;
  }
  if (embeds.length > 10) errors.add(["embeds"], "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
  let total = 0;
  embeds.forEach((embed, i) => {
    if (!isObject(embed)) {
      errors.add(["embeds", i], "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    total += checkText(errors, ["embeds", i, "title"], embed.title, 256);
    total += checkText(errors, ["embeds", i, "description"], embed.description, 4096);
    if (embed.url !== undefined && !isUrl(embed.url))
      errors.add(["embeds", i, "url"], "URL_TYPE_INVALID_URL", "Not a well formed URL.");
    if (embed.color !== undefined && embed.color !== null) {
      if (typeof embed.color !== "number" || embed.color < 0 || embed.color > 0xffffff)
        errors.add(
          ["embeds", i, "color"],
          "NUMBER_TYPE_MAX",
          "int value should be less than or equal to 16777215.",
        );
    }
    if (embed.footer !== undefined) {
      const footer = isObject(embed.footer) ? embed.footer : {};
      total += checkText(errors, ["embeds", i, "footer", "text"], footer.text, 2048, true);
    }
    if (embed.author !== undefined) {
      const author = isObject(embed.author) ? embed.author : {};
      total += checkText(errors, ["embeds", i, "author", "name"], author.name, 256, true);
      if (author.url !== undefined && !isUrl(author.url))
        errors.add(["embeds", i, "author", "url"], "URL_TYPE_INVALID_URL", "Not a well formed URL.");
    }
    if (embed.fields !== undefined) {
      if (!Array.isArray(embed.fields)) {
        errors.add(["embeds", i, "fields"], "BASE_TYPE_ARRAY", "Must be an array.");
      } else {
        if (embed.fields.length > 25)
          errors.add(["embeds", i, "fields"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
        embed.fields.forEach((field, j) => {
          const f = isObject(field) ? field : {};
          total += checkText(errors, ["embeds", i, "fields", j, "name"], f.name, 256, true);
          total += checkText(errors, ["embeds", i, "fields", j, "value"], f.value, 1024, true);
        });
      }
    }
  });
  if (total > 6000)
    errors.add(["embeds"], "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
}

/** Adds errors for a text field; returns its length for the 6,000-character embed total. */
function checkText(
  errors: FormErrors,
  path: Array<string | number>,
  value: unknown,
  max: number,
  required = false,
): number {
  if (value === undefined || value === null) {
    if (required) errors.add(path, "BASE_TYPE_REQUIRED", "This field is required");
    return 0;
  }
  if (typeof value !== "string") {
    errors.add(path, "BASE_TYPE_STRING", "Must be a string.");
    return 0;
  }
  const n = charCount(value);
  if (required && value.trim().length === 0) errors.add(path, "BASE_TYPE_REQUIRED", "This field is required");
  if (n > max) errors.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
  return n;
}

function isUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const u = new URL(value);
    return ["http:", "https:", "attachment:"].includes(u.protocol);
  } catch {
    return false;
  }
}

const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

function validateComponents(components: unknown, v2: boolean, errors: FormErrors): void {
  if (!Array.isArray(components)) {
    errors.add(["components"], "BASE_TYPE_ARRAY", "Must be an array.");
    return;
  }
  if (!v2 && components.length > 5)
    errors.add(["components"], "BASE_TYPE_BAD_LENGTH", "Must be between 0 and 5 in length.");
  const customIds = new Set<string>();
  components.forEach((row, i) => {
    if (!isObject(row)) {
      errors.add(["components", i], "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    if (v2 && row.type !== 1) return; // Layout components of components v2 are not checked in depth.
    if (row.type !== 1) {
      errors.add(
        ["components", i, "type"],
        "UNION_TYPE_CHOICES",
        'Value of field "type" must be one of (1,).',
      );
      return;
    }
    const children = Array.isArray(row.components) ? row.components : [];
    if (children.length < 1 || children.length > 5)
      errors.add(
        ["components", i, "components"],
        "BASE_TYPE_BAD_LENGTH",
        "Must be between 1 and 5 in length.",
      );
    children.forEach((child, j) => {
      const c = isObject(child) ? child : {};
      const path = ["components", i, "components", j];
      if (SELECT_TYPES.has(c.type as number) && children.length > 1)
        errors.add(
          path,
          "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
          "The specified component exceeds the maximum width",
        );
      if (c.type === 2) {
        if (c.style === 5) {
          if (!isUrl(c.url)) errors.add([...path, "url"], "BASE_TYPE_REQUIRED", "This field is required");
          if (c.custom_id !== undefined)
            errors.add(
              [...path, "custom_id"],
              "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
              "A custom id cannot be specified for link buttons",
            );
        } else if (c.style !== 6) {
          checkCustomId(errors, path, c.custom_id, customIds);
        }
        if (typeof c.label === "string" && charCount(c.label) > 80)
          errors.add([...path, "label"], "BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer in length.");
        if (c.label === undefined && c.emoji === undefined && c.style !== 6)
          errors.add(path, "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "A label or emoji is required");
      } else if (SELECT_TYPES.has(c.type as number)) {
        checkCustomId(errors, path, c.custom_id, customIds);
        if (c.type === 3) {
          const options = Array.isArray(c.options) ? c.options : [];
          if (options.length < 1 || options.length > 25)
            errors.add([...path, "options"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.");
        }
      } else {
        errors.add(
          [...path, "type"],
          "UNION_TYPE_CHOICES",
          'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).',
        );
      }
    });
  });
}

function checkCustomId(
  errors: FormErrors,
  path: Array<string | number>,
  customId: unknown,
  seen: Set<string>,
): void {
  if (typeof customId !== "string" || customId.length === 0) {
    errors.add([...path, "custom_id"], "BASE_TYPE_REQUIRED", "This field is required");
    return;
  }
  if (charCount(customId) > 100)
    errors.add([...path, "custom_id"], "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
  if (seen.has(customId))
    errors.add(
      [...path, "custom_id"],
      "COMPONENT_CUSTOM_ID_DUPLICATED",
      "Component custom id cannot be duplicated",
    );
  seen.add(customId);
}

function validateAllowedMentions(value: unknown, errors: FormErrors): void {
  if (!isObject(value)) {
    errors.add(["allowed_mentions"], "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
    return;
  }
  const parse = value.parse;
  if (parse !== undefined) {
    if (!Array.isArray(parse) || parse.some((p) => !["users", "roles", "everyone"].includes(p as string)))
      errors.add(
        ["allowed_mentions", "parse"],
        "ENUM_TYPE_COERCE",
        "Value must be one of {'users', 'roles', 'everyone'}.",
      );
  }
  const parseList = Array.isArray(parse) ? parse : [];
  for (const kind of ["users", "roles"] as const) {
    const ids = value[kind];
    if (ids === undefined) continue;
    if (!Array.isArray(ids)) errors.add(["allowed_mentions", kind], "BASE_TYPE_ARRAY", "Must be an array.");
    else if (ids.length > 100)
      errors.add(["allowed_mentions", kind], "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
    if (parseList.includes(kind) && Array.isArray(ids) && ids.length > 0)
      errors.add(
        ["allowed_mentions"],
        "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
        `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
      );
  }
}

/** Whether a created message would have nothing to show (Discord answers 50006). */
export function isEmptyMessage(
  m: { content: string; embeds: unknown[]; components: unknown[]; attachments: unknown[] },
  extra: JsonObject = {},
): boolean {
  return (
    m.content.trim().length === 0 &&
    m.embeds.length === 0 &&
    m.components.length === 0 &&
    m.attachments.length === 0 &&
    !(Array.isArray(extra.sticker_ids) && extra.sticker_ids.length > 0) &&
    extra.poll === undefined
  );
}
