import {
  Client,
  Events,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ClientOptions,
  type CommandInteractionOption,
  type Interaction,
  type InteractionReplyOptions,
} from 'discord.js'
import type { Logger } from 'pino'
import type { OptionValue } from '../commands/types.js'
import type { MessagePayload } from '../render/payload.js'
import { notice } from '../render/replies.js'
import { localeOf, strings } from '../render/strings.js'
import type { Dispatcher } from './dispatcher.js'

function optionsOf(data: readonly CommandInteractionOption[]): Record<string, OptionValue | undefined> {
  return Object.fromEntries(data.map((o) => [o.name, o.value as OptionValue | undefined]))
}

/** Our payload in discord.js's terms; allowed mentions stay empty whatever the payload says. */
function replyOptions(payload: MessagePayload): InteractionReplyOptions & { flags?: number } {
  return {
    ...(payload.content !== undefined ? { content: payload.content } : {}),
    embeds: payload.embeds,
    components: payload.components,
    allowedMentions: { parse: [] },
    ...(payload.flags ? { flags: payload.flags } : {}),
  } as InteractionReplyOptions & { flags?: number }
}

function updateOptions(payload: MessagePayload) {
  return { content: payload.content ?? null, embeds: payload.embeds, components: payload.components, allowedMentions: { parse: [] } }
}

async function answer(interaction: ChatInputCommandInteraction | ButtonInteraction, dispatcher: Dispatcher) {
  const locale = localeOf(interaction.locale)
  const response = interaction.isButton()
    ? dispatcher.dispatch({
        type: 'button',
        customId: interaction.customId,
        message: { embeds: interaction.message.embeds.map((e) => e.toJSON()) },
        messageId: interaction.message.id,
        userId: interaction.user.id,
        locale,
      })
    : dispatcher.dispatch({ type: 'command', name: interaction.commandName, options: optionsOf(interaction.options.data), userId: interaction.user.id, locale })
  if (response.type === 'update' && interaction.isButton()) await interaction.update(updateOptions(response.payload))
  else if (response.type !== 'choices') await interaction.reply(replyOptions(response.payload))
}

/** Routes every interaction through the dispatcher. Sending failures are logged and, where possible, apologised for. */
export function attachInteractions(client: Client, dispatcher: Dispatcher, logger: Logger): void {
  client.on(Events.InteractionCreate, async (interaction: Interaction) => {
    try {
      if (interaction.isAutocomplete()) {
        const focused = interaction.options.getFocused(true)
        const response = dispatcher.dispatch({
          type: 'autocomplete',
          name: interaction.commandName,
          focused: focused.name,
          value: String(focused.value ?? ''),
          options: optionsOf(interaction.options.data),
          userId: interaction.user.id,
          locale: localeOf(interaction.locale),
        })
        await interaction.respond(response.type === 'choices' ? response.choices : [])
      } else if (interaction.isChatInputCommand() || interaction.isButton()) {
        await answer(interaction, dispatcher)
      }
    } catch (error) {
      logger.error({ err: error, interactionId: interaction.id }, 'could not answer an interaction')
      if (interaction.isRepliable() && !interaction.replied && !interaction.deferred) {
        await interaction.reply(replyOptions(notice(strings(localeOf(interaction.locale)).error))).catch((e: unknown) => logger.error({ err: e }, 'apology failed too'))
      }
    }
  })
}

export interface DiscordBotOptions {
  token: string
  dispatcher: Dispatcher
  logger: Logger
  /** REST base for a local fake Discord in tests (DISCORD_API_URL); unset in production. */
  api?: string
  clientOptions?: Partial<ClientOptions>
}

/** Logs in and serves. Slash commands need no gateway intents. */
export async function startDiscordBot(options: DiscordBotOptions): Promise<Client> {
  const client = new Client({ intents: [], ...(options.api ? { rest: { api: options.api } } : {}), ...options.clientOptions })
  attachInteractions(client, options.dispatcher, options.logger)
  client.once(Events.ClientReady, (ready) => options.logger.info({ user: ready.user.tag, guilds: ready.guilds.cache.size }, 'logged in to Discord'))
  client.on(Events.Error, (error) => options.logger.error({ err: error }, 'Discord client error'))
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()))
  await client.login(options.token)
  await ready
  return client
}
