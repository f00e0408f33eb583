import { FormErrors } from "./discordError.ts";
import type { JsonObject } from "./types.ts";
import { charCount } from "./validateMessage.ts";

/** A registered application command, as Discord returns it. */
export type RegisteredCommand = JsonObject & { id: string; name: string; type: number };

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Application commands, global and per guild, with Discord's validation of names, descriptions and options. */
export class CommandRegistry {
  private readonly global: RegisteredCommand[] = [];
  private readonly byGuild = new Map<string, RegisteredCommand[]>();
  private readonly applicationId: string;
  private readonly nextId: () => string;

  constructor(applicationId: string, nextId: () => string) {
    this.applicationId = applicationId;
    this.nextId = nextId;
  }

  list(guildId?: string): RegisteredCommand[] {
    return guildId ? (this.byGuild.get(guildId) ?? []) : this.global;
  }

  /** The command a user in `guildId` would invoke by this name (guild commands first, then global). */
  find(name: string, guildId: string | undefined, type = 1): RegisteredCommand | undefined {
    const inGuild = guildId
      ? this.byGuild.get(guildId)?.find((c) => c.name === name && c.type === type)
      : undefined;
    return inGuild ?? this.global.find((c) => c.name === name && c.type === type);
  }

  /** PUT: replaces the whole list; a command keeps its id when its name and type stay (as on Discord). */
  overwrite(body: unknown, guildId?: string): RegisteredCommand[] {
    const errors = new FormErrors();
    if (!Array.isArray(body)) {
      errors.add([], "BASE_TYPE_ARRAY", "Must be an array.");
      errors.throwIfAny();
      return [];
    }
    body.forEach((c, i) => validateCommand(c, errors, [i]));
    const names = new Set<string>();
    body.forEach((c, i) => {
      const key = `${(c as JsonObject).type ?? 1}:${String((c as JsonObject).name)}`;
      if (names.has(key))
        errors.add(
          [i, "name"],
          "APPLICATION_COMMANDS_DUPLICATE_NAME",
          "Application command names must be unique",
        );
      names.add(key);
    });
    if (body.filter((c) => ((c as JsonObject).type ?? 1) === 1).length > 100)
      errors.add([], "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
    errors.throwIfAny();
    const old = this.list(guildId);
    const next = body.map((c) => this.toRegistered(c as JsonObject, guildId, old));
    if (guildId) this.byGuild.set(guildId, next);
    else this.global.splice(0, this.global.length, ...next);
    return next;
  }

  /** POST: creates or replaces one command by name. */
  upsert(body: JsonObject, guildId?: string): { command: RegisteredCommand; created: boolean } {
    const errors = new FormErrors();
    validateCommand(body, errors, []);
    errors.throwIfAny();
    const list = guildId ? (this.byGuild.get(guildId) ?? []) : this.global;
    const command = this.toRegistered(body, guildId, list);
    const index = list.findIndex((c) => c.id === command.id);
    if (index >= 0) list[index] = command;
    else list.push(command);
    if (guildId) this.byGuild.set(guildId, list);
    return { command, created: index < 0 };
  }

  remove(id: string, guildId?: string): boolean {
    const list = this.list(guildId);
    const index = list.findIndex((c) => c.id === id);
    if (index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  private toRegistered(
    c: JsonObject,
    guildId: string | undefined,
    existing: RegisteredCommand[],
  ): RegisteredCommand {
    const type = typeof c.type === "number" ? c.type : 1;
    const name = String(c.name);
    const id = existing.find((e) => e.name === name && e.type === type)?.id ?? this.nextId();
    return {
      ...c,
      id,
      application_id: this.applicationId,
      version: this.nextId(),
      type,
      name,
      description: typeof c.description === "string" ? c.description : "",
      options: Array.isArray(c.options) ? c.options : [],
      default_member_permissions: c.default_member_permissions ?? null,
      nsfw: c.nsfw ?? false,
      ...(guildId
        ? { guild_id: guildId }
        : { contexts: c.contexts ?? null, integration_types: c.integration_types ?? [0] }),
    };
  }
}

function validateCommand(c: unknown, errors: FormErrors, path: Array<string | number>): void {
  if (typeof c !== "object" || c === null) {
    errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
    return;
  }
  const command = c as JsonObject;
  const type = command.type ?? 1;
  checkName(errors, [...path, "name"], command.name, type === 1);
  if (type === 1) {
    checkDescription(errors, [...path, "description"], command.description);
    validateOptions(command.options, errors, [...path, "options"], 0);
  } else if (command.description !== undefined && command.description !== "") {
    errors.add(
      [...path, "description"],
      "APPLICATION_COMMAND_DESCRIPTION_NOT_ALLOWED",
      "Description must be empty for this command type",
    );
  }
  const perms = command.default_member_permissions;
  if (perms !== undefined && perms !== null && !(typeof perms === "string" && /^\d+$/.test(perms)))
    errors.add([...path, "default_member_permissions"], "BASE_TYPE_STRING", "Must be a string of digits.");
}

function checkName(
  errors: FormErrors,
  path: Array<string | number>,
  name: unknown,
  lowercase: boolean,
): void {
  if (typeof name !== "string" || !NAME.test(name) || (lowercase && name !== name.toLowerCase()))
    errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
}

function checkDescription(errors: FormErrors, path: Array<string | number>, description: unknown): void {
  if (typeof description !== "string" || charCount(description) < 1 || charCount(description) > 100)
    errors.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
}

function validateOptions(
  options: unknown,
  errors: FormErrors,
  path: Array<string | number>,
  depth: number,
): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) {
    errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.");
    return;
  }
  if (options.length > 25) errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
  let sawOptional = false;
  const names = new Set<string>();
  options.forEach((o, i) => {
    const option = (typeof o === "object" && o !== null ? o : {}) as JsonObject;
    const type = option.type;
    const p = [...path, i];
    if (typeof type !== "number" || type < 1 || type > 11) {
      errors.add(
        [...p, "type"],
        "BASE_TYPE_CHOICES",
        "Value must be one of (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).",
      );
      return;
    }
    checkName(errors, [...p, "name"], option.name, true);
    checkDescription(errors, [...p, "description"], option.description);
    if (names.has(String(option.name)))
      errors.add(
        [...p, "name"],
        "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
        "Option names must be unique",
      );
    names.add(String(option.name));
    if (type === 1 || type === 2) {
      if (depth >= (type === 2 ? 1 : 2))
        errors.add(
          [...p, "type"],
          "APPLICATION_COMMAND_SUBCOMMAND_NESTING",
          "Sub-command nesting is too deep",
        );
      validateOptions(option.options, errors, [...p, "options"], depth + 1);
      return;
    }
    if (option.required === true && sawOptional)
      errors.add(
        [...p, "required"],
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        "Required options must be placed before non-required options",
      );
    if (option.required !== true) sawOptional = true;
    if (Array.isArray(option.choices) && option.choices.length > 25)
      errors.add([...p, "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
  });
}
