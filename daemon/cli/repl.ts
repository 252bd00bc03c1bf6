/** The interactive loop: readline with history and tab completion over the command table. */
import { createInterface } from 'node:readline'
import { readFileSync, appendFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { COMMANDS } from './commands.js'

const HISTORY_FILE = join(homedir(), '.chord_history')
const HISTORY_SIZE = 500
const WORDS = [...COMMANDS.map(c => c.name), 'help', 'exit', 'quit']

function loadHistory (): string[] {
  try {
    return readFileSync(HISTORY_FILE, 'utf8').split('\n').filter(l => l !== '').slice(-HISTORY_SIZE).reverse()
  } catch {
    return []
  }
}

/** Runs `onLine` for each line until exit/quit/EOF. `onLine` must not throw. */
export async function runRepl (prompt: string, onLine: (line: string) => Promise<void>): Promise<void> {
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt,
    history: loadHistory(),
    historySize: HISTORY_SIZE,
    completer: (line: string): [string[], string] => {
      const hits = WORDS.filter(w => w.startsWith(line.trim()))
      return [hits.length > 0 ? hits : WORDS, line]
    }
  })
  rl.prompt()
  for await (const raw of rl) {
    const line = raw.trim()
    if (line === 'exit' || line === 'quit') break
    if (line !== '') {
      try { appendFileSync(HISTORY_FILE, line + '\n', { mode: 0o600 }) } catch {}
      await onLine(line)
    }
    rl.prompt()
  }
  rl.close()
}
