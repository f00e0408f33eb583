// A command's options, typed: each command declares the options it reads once, as data next to its
// SlashCommandBuilder (`{ question: { type: "string", required: true } }`), and its handler receives
// them as an object typed from that declaration, so a misspelt option is a type error rather than a
// null at run time. tests/commandDefinitions.test.ts keeps each declaration equal to what the builder
// registers with Discord.
import type { Attachment, ChatInputCommandInteraction, CommandInteractionOption } from "discord.js";

/** What each option type reads as. */
interface OptionValueTypes {
  string: string;
  boolean: boolean;
  channel: NonNullable<CommandInteractionOption["channel"]>;
  attachment: Attachment;
}

export type OptionType = keyof OptionValueTypes;

export interface OptionSpec {
  readonly type: OptionType;
  /** Discord makes the user fill it in; the handler then always gets a value. */
  readonly required?: boolean;
}

/** Options by name. */
export type OptionSpecs = { readonly [name: string]: OptionSpec };

/** Each subcommand's options, by subcommand name. */
type SubcommandSpecs = { readonly [subcommand: string]: OptionSpecs };

/** A command's options: its own, or, for a command with subcommands, each subcommand's. */
export type OptionsSpec = OptionSpecs | { readonly subcommands: SubcommandSpecs };

type OptionValues<S extends OptionSpecs> = {
  -readonly [N in keyof S]: S[N]["required"] extends true
    ? OptionValueTypes[S[N]["type"]]
    : OptionValueTypes[S[N]["type"]] | undefined;
};

/** The values a handler receives: one per option, and the subcommand's name when there are subcommands. */
export type CommandOptions<S extends OptionsSpec> = S extends {
  readonly subcommands: infer Subs extends SubcommandSpecs;
}
  ? { [K in keyof Subs & string]: { subcommand: K } & OptionValues<Subs[K]> }[keyof Subs & string]
  : S extends OptionSpecs
    ? OptionValues<S>
    : never;

type Options = ChatInputCommandInteraction["options"];

const READERS: { [T in OptionType]: (options: Options, name: string, required: boolean) => unknown } = {
  string: (options, name, required) => options.getString(name, required),
  boolean: (options, name, required) => options.getBoolean(name, required),
  channel: (options, name, required) => options.getChannel(name, required),
  attachment: (options, name, required) => options.getAttachment(name, required),
};

/** Reads the options `spec` declares from the interaction; an absent optional option is undefined. */
export function readOptions<S extends OptionsSpec>(
  interaction: ChatInputCommandInteraction,
  spec: S,
): CommandOptions<S> {
  if (hasSubcommands(spec)) {
    const subcommand = interaction.options.getSubcommand(true);
    const values = readValues(interaction.options, spec.subcommands[subcommand] ?? {});
    return { subcommand, ...values } as CommandOptions<S>;
  }
  return readValues(interaction.options, spec) as CommandOptions<S>;
}

/** True when the command declares subcommands (so no command may name an option "subcommands"). */
export function hasSubcommands(spec: OptionsSpec): spec is { readonly subcommands: SubcommandSpecs } {
  return "subcommands" in spec;
}

function readValues(options: Options, specs: OptionSpecs): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, { type, required = false }] of Object.entries(specs)) {
    values[name] = READERS[type](options, name, required) ?? undefined;
  }
  return values;
}
