// Adds the options a command declares (commandOptions.ts) to its SlashCommandBuilder, so what Discord
// registers and what the handler reads come from the one declaration.
import type { SharedSlashCommandOptions, SlashCommandBuilder } from "discord.js";
import { hasSubcommands, type OptionSpec, type OptionSpecs, type OptionsSpec } from "./commandOptions.ts";

/** The builder with `spec`'s options, or its subcommands and theirs, added in declaration order. */
export function addOptions(builder: SlashCommandBuilder, spec: OptionsSpec): SlashCommandBuilder {
  if (hasSubcommands(spec)) {
    for (const [name, { description, options = {} }] of Object.entries(spec.subcommands)) {
      builder.addSubcommand((sub) => {
        addEach(sub.setName(name).setDescription(description), options);
        return sub;
      });
    }
  } else {
    addEach(builder, spec);
  }
  return builder;
}

// The builders' option methods return a new type for the chain; this only adds, so the type is any.
function addEach(host: SharedSlashCommandOptions<any>, specs: OptionSpecs): void {
  for (const [name, spec] of Object.entries(specs)) addOne(host, name, spec);
}

function addOne(host: SharedSlashCommandOptions<any>, name: string, spec: OptionSpec): void {
  switch (spec.type) {
    case "string":
      host.addStringOption((o) => {
        common(o, name, spec);
        if (spec.maxLength !== undefined) o.setMaxLength(spec.maxLength);
        return o;
      });
      return;
    case "boolean":
      host.addBooleanOption((o) => common(o, name, spec));
      return;
    case "channel":
      host.addChannelOption((o) => {
        common(o, name, spec);
        if (spec.channelTypes) o.addChannelTypes(...spec.channelTypes);
        return o;
      });
      return;
    case "attachment":
      host.addAttachmentOption((o) => common(o, name, spec));
      return;
  }
}

interface OptionBuilder {
  setName(name: string): unknown;
  setDescription(description: string): unknown;
  setRequired(required: boolean): unknown;
}

/** Name, description and, when declared, whether it is required: the fields every option has. */
function common<B extends OptionBuilder>(option: B, name: string, spec: OptionSpec): B {
  option.setName(name);
  option.setDescription(spec.description);
  if (spec.required !== undefined) option.setRequired(spec.required);
  return option;
}
