// Imported first by every script and by the bot: whatever is thrown and not caught ends here, in one place.
import { exitOnError } from '../errors.js'

process.on('uncaughtException', exitOnError)
