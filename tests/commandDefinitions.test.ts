// Each command's declarations agree with what it registers with Discord: the options its handler
// reads are the options Discord sends, and a command Discord shows only to Manage Server members is
// checked for that permission by the router too. The typed options make a misspelt option a type
// error (checked by tsc, below).
import {
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from "discord.js";
import { describe, expect, it } from "vitest";
import { commands } from "../commands/index.ts";
import { defineCommand } from "../src/discord/command.ts";
import { hasSubcommands, type OptionSpecs, type OptionType } from "../src/discord/commandOptions.ts";
import { createInteractionRouter } from "../src/discord/routeInteraction.ts";

const OPTION_TYPES: Record<OptionType, ApplicationCommandOptionType> = {
  string: ApplicationCommandOptionType.String,
  boolean: ApplicationCommandOptionType.Boolean,
  channel: ApplicationCommandOptionType.Channel,
  attachment: ApplicationCommandOptionType.Attachment,
};

/** The registered options in the declaration's terms: name → type and whether required. */
function registered(options: readonly APIApplicationCommandOption[] = []) {
  return Object.fromEntries(
    options.map((o) => [o.name, { type: o.type, required: "required" in o && o.required === true }]),
  );
}

function declared(specs: OptionSpecs) {
  return Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      { type: OPTION_TYPES[spec.type], required: spec.required === true },
    ]),
  );
}

describe.each(commands.map((command) => [command.data.name, command] as const))("/%s", (_name, command) => {
  const json = command.data.toJSON();
  const spec = command.options ?? {};

  it("declares exactly the options it registers", () => {
    if (hasSubcommands(spec)) {
      const subcommands = (json.options ?? []).filter(
        (o) => o.type === ApplicationCommandOptionType.Subcommand,
      );
      expect(subcommands.map((s) => s.name).sort()).toEqual(Object.keys(spec.subcommands).sort());
      for (const sub of subcommands) {
        expect(registered(sub.options), sub.name).toEqual(
          declared(spec.subcommands[sub.name]?.options ?? {}),
        );
      }
    } else {
      expect(registered(json.options)).toEqual(declared(spec));
    }
  });

  it("checks Manage Server on the server side when Discord shows it only to those members", () => {
    const forAdmins =
      json.default_member_permissions != null &&
      (BigInt(json.default_member_permissions) & PermissionFlagsBits.ManageGuild) !== 0n;
    expect(Boolean(command.preconditions?.manageGuild)).toBe(forAdmins);
  });
});

describe("the command list", () => {
  it("is routable: names and component custom id prefixes do not clash", () => {
    expect(() => createInteractionRouter(commands)).not.toThrow();
  });

  it("is refused by the router when two components' prefixes overlap", () => {
    const page = { customIdPrefix: "pages:", handle: async () => undefined };
    const command = defineCommand({
      data: new SlashCommandBuilder().setName("pages").setDescription("Pages"),
      components: [page, { ...page, customIdPrefix: "pages:next:" }],
      async execute() {},
    });
    expect(() => createInteractionRouter([command])).toThrow(/overlap/);
  });
});

// Type checks only (tsc runs over the tests): the handler's options follow the declaration.
defineCommand({
  data: new SlashCommandBuilder().setName("typed").setDescription("Typed options"),
  options: {
    question: { type: "string", description: "Question", required: true },
    share: { type: "boolean", description: "Share" },
  },
  async execute(_interaction, _ctx, options) {
    const question: string = options.question;
    const share: boolean | undefined = options.share;
    // @ts-expect-error: a misspelt option does not exist
    void options.questoin;
    void [question, share];
  },
});
