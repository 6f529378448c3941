// Issue 12 item 4: `validate -f link.yaml`, with link.yaml a symbolic link to /etc/shadow or ~/.git-credentials,
// printed that file's lines in its diagnostics. Now a link is followed only within the directory tree of the file
// as named, and a file that is not a desired-state file gets one error that shows nothing of it. Every file here is
// a temporary file shaped like the real one; no real system file is read.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIn, STACK_TRACE, type RunOutput } from './helpers.js';

const tree = mkdtempSync(join(tmpdir(), 'claude-reconcile-leaks-tree-'));
const outside = mkdtempSync(join(tmpdir(), 'claude-reconcile-leaks-outside-'));
afterAll(() => {
  rmSync(tree, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const VALID = 'version: 1\norganization:\n  id: 11111111-2222-4333-8444-555555555555\n  kind: console\nmembers:\n  a@acme.com: user\n';

/** Files shaped like the ones an attacker points at, each with the strings that must never be printed. */
const SHAPES: Record<string, { text: string; secrets: string[] }> = {
  passwd: {
    text: 'root:x:0:0:root:/root:/bin/bash\nsvc-deploy:x:1001:1001:Deploy Bot Qz7:/home/svc-deploy:/bin/sh\n',
    secrets: ['root:x:0:0', 'svc-deploy', 'Deploy Bot Qz7', '/bin/bash', '/home/svc-deploy'],
  },
  shadow: {
    text: 'root:$6$rounds=5000$Zq8s4ltFAKE$Hh3kFAKEHASHvalue9d8f7e6:19700:0:99999:7:::\nbob:!:19700::::::\n',
    secrets: ['Zq8s4ltFAKE', 'Hh3kFAKEHASHvalue9d8f7e6', '$6$', 'bob:!'],
  },
  'git-credentials': {
    text: 'https://user:ghp_xxxxxxxxxxxxxxxxxxxx@github.com\nhttps://ci-bot:glpat-FAKEfakeFAKEfake12@gitlab.example.com\n',
    secrets: ['ghp_xxxxxxxxxxxxxxxxxxxx', 'user:ghp', 'glpat-FAKEfakeFAKEfake12', 'ci-bot', 'github.com'],
  },
  ini: {
    text: '[default]\naws_access_key_id = AKIAFAKEFAKEFAKE1234\naws_secret_access_key = fakeSecretKey/abcdef123456\n',
    secrets: ['AKIAFAKEFAKEFAKE1234', 'fakeSecretKey/abcdef123456', 'aws_access_key_id', 'default'],
  },
  'json-array': {
    text: '["token-1f2e3d4c5b6a", "hunter2-password-Qx"]\n',
    secrets: ['token-1f2e3d4c5b6a', 'hunter2-password-Qx'],
  },
  'yaml-syntax-error': {
    text: 'api:\n  user: bob-the-builder\n  password: "sup3r-s3cret-passw0rd\n  host: db.internal\n',
    secrets: ['sup3r-s3cret-passw0rd', 'bob-the-builder', 'db.internal', 'password'],
  },
  'yaml-mapping': {
    text: 'token: abc-secret-one-9f\ntoken: abc-secret-two-8e\ndeploy: !vault s3cr3t-vault-value\n',
    secrets: ['abc-secret-one-9f', 'abc-secret-two-8e', 's3cr3t-vault-value', 'vault', 'token', 'deploy'],
  },
};

function expectNothingOf(out: RunOutput, text: string, secrets: readonly string[]): void {
  const printed = `${out.stdout}\n${out.stderr}`;
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0)) {
    expect(printed, `a line of the file was printed: ${line}`).not.toContain(line);
  }
  for (const s of secrets) expect(printed, `printed ${s}`).not.toContain(s);
  expect(printed).not.toMatch(STACK_TRACE);
}

/** The one error line of a run (and the "N error" summary). */
function errorLines(out: RunOutput): string[] {
  return out.stderr.split('\n').filter((l) => /: error: /.test(l));
}

describe('a file that is not a desired-state file shows nothing of itself', () => {
  for (const [name, { text, secrets }] of Object.entries(SHAPES)) {
    it(`${name}, named directly with -f`, async () => {
      const f = join(outside, `${name}.txt`);
      writeFileSync(f, text);
      const out = await runIn(['validate', '-f', f]);
      expect(out.code).toBe(1);
      expect(errorLines(out)).toEqual([
        `${f}:1:1: error: ${f} is not a claude-reconcile desired-state file (expected a YAML mapping with \`version: 1\`); nothing of it is shown`,
      ]);
      expectNothingOf(out, text, secrets);
    });

    it(`${name}, through a symbolic link inside the tree (the link is refused before reading)`, async () => {
      const target = join(outside, `${name}.target`);
      writeFileSync(target, text);
      const link = join(tree, `${name}-link.yaml`);
      symlinkSync(target, link);
      const out = await runIn(['validate', '-f', link]);
      expect(out.code).toBe(1);
      expect(errorLines(out)).toEqual([
        `${link}:1:1: error: ${link} is a symbolic link that leads outside ${tree}; it is not read (links are followed only within the directory of the file)`,
      ]);
      expect(`${out.stdout}${out.stderr}`).not.toContain(outside); // not even where it leads
      expectNothingOf(out, text, secrets);
    });
  }

  it('plan refuses the same link before reading anything or needing credentials', async () => {
    const target = join(outside, 'plan-shadow');
    writeFileSync(target, SHAPES.shadow!.text);
    const link = join(tree, 'plan-link.yaml');
    symlinkSync(target, link);
    const out = await runIn(['plan', '-f', link], { env: { ANTHROPIC_ADMIN_KEY: undefined } });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`${link} is a symbolic link that leads outside ${tree}`);
    expectNothingOf(out, SHAPES.shadow!.text, SHAPES.shadow!.secrets);
  });

  it('a desired-state file with a YAML error shows line and column, not the line itself', async () => {
    const f = join(tree, 'broken.yaml');
    const text = 'version: 1\norganization:\n  id: 11111111-2222-4333-8444-555555555555\n  kind: console\n' +
      'policy: !vault-tag-Qw9 x\nmembers:\n  a@acme.com: "user\n  note: hunter2-in-a-real-file\n';
    writeFileSync(f, text);
    const out = await runIn(['validate', '-f', f]);
    expect(out.code).toBe(1);
    expect(errorLines(out).length).toBeGreaterThan(0);
    for (const l of out.stderr.split('\n')) expect(l).toMatch(/^$|^\S+:\d+:\d+: (error|warning): |: \d+ errors?$/);
    expectNothingOf(out, text, ['hunter2-in-a-real-file', 'vault-tag-Qw9']);
  });
});

describe('symbolic links within the tree still work', () => {
  it('orgs/current.yaml → 2026.yaml', async () => {
    const orgs = join(tree, 'orgs');
    mkdirSync(orgs);
    writeFileSync(join(orgs, '2026.yaml'), VALID);
    symlinkSync('2026.yaml', join(orgs, 'current.yaml'));
    const out = await runIn(['validate', '-f', join(orgs, 'current.yaml')]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('is valid');
  });

  it('a chain of links that ends outside is refused; one that stays inside is followed', async () => {
    const target = join(outside, 'chain-shadow');
    writeFileSync(target, SHAPES.shadow!.text);
    symlinkSync(target, join(tree, 'chain-c.yaml'));
    symlinkSync(join(tree, 'chain-c.yaml'), join(tree, 'chain-b.yaml'));
    symlinkSync('chain-b.yaml', join(tree, 'chain-a.yaml'));
    const out = await runIn(['validate', '-f', join(tree, 'chain-a.yaml')]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('is a symbolic link that leads outside');
    expectNothingOf(out, SHAPES.shadow!.text, SHAPES.shadow!.secrets);

    writeFileSync(join(tree, 'ok-c.yaml'), VALID);
    symlinkSync('ok-c.yaml', join(tree, 'ok-b.yaml'));
    symlinkSync('ok-b.yaml', join(tree, 'ok-a.yaml'));
    expect((await runIn(['validate', '-f', join(tree, 'ok-a.yaml')])).code).toBe(0);
  });

  it('a link to a directory: outside refused, inside "not a regular file"; a loop is one clear error', async () => {
    symlinkSync(outside, join(tree, 'dir-out.yaml'));
    const a = await runIn(['validate', '-f', join(tree, 'dir-out.yaml')]);
    expect(a.code).not.toBe(0);
    expect(a.stderr).toContain(`${join(tree, 'dir-out.yaml')} is a symbolic link to a directory outside ${tree}`);
    // listed in a directory, a link to a directory is a file that cannot be read, wherever it leads
    const dir = join(tree, 'dirs');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(outside, 'x.yaml'), 'version: 1\nsecret: leaked-if-read-Yy8\n');
    symlinkSync(outside, join(dir, 'd.yaml'));
    symlinkSync(join(dir, 'sub'), join(dir, 'e.yaml'));
    const b = await runIn(['validate', '-f', dir]);
    expect(b.code).toBe(1);
    expect(errorLines(b)).toEqual([
      `${join(dir, 'd.yaml')}:1:1: error: ${join(dir, 'd.yaml')} is a symbolic link that leads outside ${dir}; it is not read (links are followed only within the directory of the file)`,
      `${join(dir, 'e.yaml')}:1:1: error: ${join(dir, 'e.yaml')} is not a regular file`,
    ]);
    expect(`${b.stdout}${b.stderr}`).not.toContain('leaked-if-read-Yy8');
    symlinkSync(join(tree, 'loop-b.yaml'), join(tree, 'loop-a.yaml'));
    symlinkSync(join(tree, 'loop-a.yaml'), join(tree, 'loop-b.yaml'));
    const c = await runIn(['validate', '-f', join(tree, 'loop-a.yaml')]);
    expect(c.code).toBe(1);
    expect(errorLines(c)).toEqual([`${join(tree, 'loop-a.yaml')}:1:1: error: cannot read ${join(tree, 'loop-a.yaml')}: too many levels of symbolic links`]);
  });

  it('-f a directory: a listed link leading outside is refused, the others are read', async () => {
    const dir = join(tree, 'many');
    mkdirSync(dir);
    writeFileSync(join(dir, 'acme.yaml'), VALID);
    const target = join(outside, 'many-creds');
    writeFileSync(target, SHAPES['git-credentials']!.text);
    symlinkSync(target, join(dir, 'creds.yaml'));
    const out = await runIn(['validate', '-f', dir]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain(`${join(dir, 'acme.yaml')} is valid`);
    expect(out.stderr).toContain(`${join(dir, 'creds.yaml')} is a symbolic link that leads outside ${dir}`);
    expectNothingOf(out, SHAPES['git-credentials']!.text, SHAPES['git-credentials']!.secrets);
  });

  it('-f a directory that is itself a link leading outside its parent is refused', async () => {
    const other = join(outside, 'orgs-elsewhere');
    mkdirSync(other);
    writeFileSync(join(other, 'x.yaml'), 'version: 1\nsecret: leaked-if-read-Zz9\n');
    symlinkSync(other, join(tree, 'orgs-link'));
    const out = await runIn(['validate', '-f', join(tree, 'orgs-link')]);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('is a symbolic link to a directory outside');
    expect(`${out.stdout}${out.stderr}`).not.toContain('leaked-if-read-Zz9');
  });
});
