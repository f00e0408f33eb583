// deploy/ as far as it can be checked here. The systemd unit is verified by systemd-analyze (with
// its /opt/storybot paths pointed at this checkout) and its command is run; the Dockerfile cannot be
// built here (no Docker daemon), so it is linted: what it copies exists, it installs with exactly
// `npm ci --omit=dev`, and its entrypoint and health check are run the way the container runs
// them. The production install itself (`npm ci --omit=dev && npm start` on a fresh clone) needs the
// registry and runs in CI: scripts/checkProductionInstall.sh.
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALLOCATOR_ENV } from "../bench/childMeasures.ts";
import { buildProgram } from "../src/cli/program.ts";
import { ROOT } from "./runCli.ts";

const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const INSTALL = "npm ci --omit=dev";
const COMMANDS = buildProgram(() => {}).commands.map((c) => c.name());

const hasSystemdAnalyze = spawnSync("systemd-analyze", ["--version"]).status === 0;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "storybot-deploy-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `file args` with the PATH the unit and the image set: the project's Node first. */
function runAsService(file: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(file, args, {
    cwd: "/",
    encoding: "utf8",
    env: { PATH: `${path.join(ROOT, "node_modules/.bin")}:/usr/local/bin:/usr/bin:/bin`, ...env },
    timeout: 60_000,
  });
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

describe("the bot's memory settings", () => {
  it("are the same in the bin script's first line, the npm scripts and the benchmark's bot process", () => {
    const shebang = read("bin/storybot.ts").split("\n")[0] ?? "";
    expect(shebang).toMatch(/^#!\/usr\/bin\/env -S /);
    for (const [name, value] of Object.entries(ALLOCATOR_ENV))
      expect(shebang).toContain(` ${name}=${value} `);
    const nodeFlags = shebang.slice(shebang.indexOf(" node ") + " node ".length);
    expect(nodeFlags).toContain("--heap-growing-percent=");
    // The npm scripts run the bin script itself, so they start with its first line's settings.
    const pkg = JSON.parse(read("package.json"));
    for (const script of ["start", "storybot", "bench", "eval"])
      expect(pkg.scripts[script]).toMatch(/^\.\/bin\/storybot\.ts\b/);
  });
});

describe("the production install", () => {
  it("needs no dev dependency at run time: the pinned Node is a regular dependency", () => {
    const pkg = JSON.parse(read("package.json"));
    expect(pkg.dependencies.node).toMatch(/^\^?24\./);
    expect(pkg.devDependencies.node).toBeUndefined();
    expect(pkg.scripts.start).toBe("./bin/storybot.ts start");
  });

  it("is the same command in the Dockerfile, the unit's instructions, the README and CI's check", () => {
    expect(read("deploy/Dockerfile")).toContain(`RUN ${INSTALL}`);
    expect(read("deploy/storybot.service")).toContain(INSTALL);
    expect(read("README.md")).toContain(INSTALL);
    expect(read("scripts/checkProductionInstall.sh")).toContain(INSTALL);
    expect(read(".ci/run")).toContain("scripts/checkProductionInstall.sh");
  });
});

describe("deploy/storybot.service", () => {
  const unit = read("deploy/storybot.service");
  const value = (key: string) => unit.match(new RegExp(`^${key}=(.*)$`, "m"))?.[1];

  it("runs the bin script with the project's Node and stops it with SIGTERM", () => {
    expect(value("ExecStart")).toBe("/opt/storybot/bin/storybot.ts start");
    expect(value("WorkingDirectory")).toBe("/opt/storybot");
    expect(unit).toMatch(/^Environment=PATH=\/opt\/storybot\/node_modules\/\.bin:/m);
    expect(value("KillSignal")).toBe("SIGTERM");
    expect(unit).toMatch(/^Environment=DATA_DIR=\/var\/lib\/storybot$/m);
    expect(value("StateDirectory")).toBe("storybot");
  });

  it.skipIf(!hasSystemdAnalyze)("passes systemd-analyze verify", () => {
    const local = unit
      .replaceAll("/opt/storybot", ROOT)
      .replace(/^User=.*$/m, "User=root")
      .replace(/^Group=.*$/m, "Group=root");
    const file = path.join(dir, "storybot.service");
    writeFileSync(file, local);
    const result = spawnSync("systemd-analyze", ["verify", file], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("has a command that runs: the bin script, on the project's Node, from any directory", () => {
    const version = runAsService(path.join(ROOT, "bin/storybot.ts"), ["--version"]);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(read("package.json")).version);
    const node = runAsService("node", ["--version"]);
    expect(node.stdout.trim()).toMatch(/^v24\./);
  });
});

describe("deploy/Dockerfile (linted: no Docker daemon here)", () => {
  const dockerfile = read("deploy/Dockerfile");
  const instructions = dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((line) => /^[A-Z]+ /.test(line));
  const all = (name: string) =>
    instructions.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1));
  const ignored = read(".dockerignore")
    .split("\n")
    .filter((l) => l && !l.startsWith("!"));

  it("starts from Node 24 and installs exactly as production does", () => {
    expect(all("FROM")).toEqual([expect.stringMatching(/^node:24(-|$)/)]);
    expect(all("RUN")[0]).toMatch(new RegExp(`^${INSTALL}( |$)`));
  });

  it("copies only what exists, and nothing .dockerignore leaves out", () => {
    for (const copy of all("COPY")) {
      const sources = copy.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        expect(existsSync(path.join(ROOT, source)), source).toBe(true);
        expect(
          ignored.some((pattern) => pattern === source || pattern === source.split("/")[0]),
          source,
        ).toBe(false);
      }
    }
    // Everything the bot runs is copied.
    const copied = all("COPY").join(" ");
    for (const needed of ["package.json", "package-lock.json", "bin", "src", "commands", "data/articles"])
      expect(copied).toContain(needed);
  });

  it("runs the bin script as entrypoint with a CLI command, and checks health with `status`", () => {
    const entrypoint = JSON.parse(all("ENTRYPOINT")[0] ?? "[]");
    expect(entrypoint).toEqual(["/app/bin/storybot.ts"]);
    expect(isExecutable(path.join(ROOT, "bin/storybot.ts"))).toBe(true);
    const cmd = JSON.parse(all("CMD")[0] ?? "[]");
    expect(COMMANDS).toContain(cmd[0]);
    const health = all("HEALTHCHECK")[0] ?? "";
    expect(JSON.parse(health.slice(health.indexOf("CMD ") + 4))).toEqual(["/app/bin/storybot.ts", "status"]);
    expect(all("STOPSIGNAL")).toEqual(["SIGTERM"]);
  });

  it("has a health check that fails, in one line, while no bot runs", () => {
    const result = runAsService(path.join(ROOT, "bin/storybot.ts"), ["status"], {
      DATA_DIR: path.join(dir, "data"),
      STORYBOT_ENV_FILE: path.join(dir, "none.env"),
    });
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split("\n")).toEqual([expect.stringMatching(/^not running/)]);
  });
});

describe("the bin script", () => {
  it("is executable in git, so a checkout can run it", () => {
    expect(
      execFileSync("git", ["ls-files", "-s", "bin/storybot.ts"], { cwd: ROOT, encoding: "utf8" }),
    ).toMatch(/^100755 /);
  });
});
