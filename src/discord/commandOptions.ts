// A command's options, declared once: each command lists the options it takes as data
// (`{ question: { type: "string", description: "Your question", required: true } }`); defineCommand
// adds them to its SlashCommandBuilder (addOptions.ts), and its handler receives them as an object
// typed from the same declaration, so a misspelt option is a type error rather than a null at run
// time.
import type {
  ApplicationCommandOptionAllowedChannelTypes,
  Attachment,
  ChatInputCommandInteraction,
  CommandInteractionOption,
} from "discord.js";

/** What each option type reads as. */
interface OptionValueTypes {
  string: string;
  boolean: boolean;
  channel: NonNullable<CommandInteractionOption["channel"]>;
  attachment: Attachment;
}

export type OptionType = keyof OptionValueTypes;

interface CommonSpec {
  /** Shown under the option in Discord. */
  readonly description: string;
  /** Discord makes the user fill it in; the handler then always gets a value. */
  readonly required?: boolean;
}

/** One option as registered with Discord; the fields beyond type, description and required are each type's own. */
export type OptionSpec =
  | (CommonSpec & { readonly type: "string"; readonly maxLength?: number })
  | (CommonSpec & { readonly type: "boolean" })
  | (CommonSpec & {
      readonly type: "channel";
      readonly channelTypes?: readonly ApplicationCommandOptionAllowedChannelTypes[];
    })
  | (CommonSpec & { readonly type: "attachment" });

/** Options by name, in the order Discord shows them. */
export type OptionSpecs = { readonly [name: string]: OptionSpec };

/** A subcommand: what it does, and its options. */
export interface SubcommandSpec {
  readonly description: string;
  readonly options?: OptionSpecs;
}

/** Subcommands by name, in the order Discord shows them. */
type SubcommandSpecs = { readonly [subcommand: string]: SubcommandSpec };

/** A command's options: its own, or, for a command with subcommands, each subcommand's. */
export type OptionsSpec = OptionSpecs | { readonly subcommands: SubcommandSpecs };

/** A subcommand's options; none when it declares none. */
type OptionsOf<S extends SubcommandSpec> = S["options"] extends OptionSpecs
  ? S["options"]
  : Record<never, never>;

type OptionValues<S extends OptionSpecs> = {
  -readonly [N in keyof S]: S[N]["required"] extends true
    ? OptionValueTypes[S[N]["type"]]
    : OptionValueTypes[S[N]["type"]] | undefined;
};

/** The values a handler receives: one per option, and the subcommand's name when there are subcommands. */
export type CommandOptions<S extends OptionsSpec> = S extends {
  readonly subcommands: infer Subs extends SubcommandSpecs;
}
  ? {
      [K in keyof Subs & string]: { subcommand: K } & OptionValues<OptionsOf<Subs[K]>>;
    }[keyof Subs & string]
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
    const values = readValues(interaction.options, spec.subcommands[subcommand]?.options ?? {});
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
