// npm run deploy-commands: register the slash commands with Discord, for one guild (instant) or globally.
import '../src/cli/top-level.js'
import 'dotenv/config'
import { REST, Routes } from 'discord.js'
import { fail, parseCli } from '../src/cli/args.js'
import { COMMANDS } from '../src/commands/registry.js'
import { ConfigError, loadBotConfig } from '../src/config.js'

const USAGE = `Usage: npm run deploy-commands

Registers /ask, /toc, /chapter and /help with Discord. Needs DISCORD_TOKEN and
DISCORD_CLIENT_ID (in .env or the environment). With DISCORD_GUILD_ID set, registers them
in that server only, which takes effect at once (good for development); otherwise
globally, which can take up to an hour to show up everywhere.`

const { values } = parseCli({ help: { type: 'boolean', short: 'h' } }, USAGE)
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}

let config
try {
  config = loadBotConfig()
} catch (error) {
  if (error instanceof ConfigError) fail(`Configuration error: ${error.message}`)
  throw error
}
if (!config.token) fail('Configuration error: DISCORD_TOKEN: not set; copy the bot token from the Developer Portal (Bot → Reset Token) into .env')
if (!config.clientId) fail('Configuration error: DISCORD_CLIENT_ID: not set; copy the Application ID from the Developer Portal (General Information) into .env')

const rest = new REST(config.discordApi ? { api: config.discordApi } : {}).setToken(config.token)
const body = COMMANDS.map((c) => c.definition)
const route = config.guildId ? Routes.applicationGuildCommands(config.clientId, config.guildId) : Routes.applicationCommands(config.clientId)
try {
  const registered = (await rest.put(route, { body })) as unknown[]
  console.log(`Registered ${registered.length} commands ${config.guildId ? `in guild ${config.guildId}` : 'globally (may take up to an hour to appear)'}: ${body.map((c) => `/${c.name}`).join(' ')}`)
} catch (error) {
  fail(`Could not register the commands: ${(error as Error).message}`)
}
