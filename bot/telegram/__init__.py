"""The Telegram channel: updates in (`inbound`), messages out (`outbound`, `port`), in order
(`dispatcher`), by long polling or webhook (`polling`, `webhook`), wired in `service`.

Two settings of python-telegram-bot 22, made once here:
- time periods come as `timedelta` (its announced next default); otherwise it warns on every
  "too many requests" answer, from inside its own error class;
- sending through `Bot.do_api_request` (answers left unparsed: `port.py` says why) is on
  purpose, so PTB's hint to use `Bot.send_message` instead is silenced.
"""

import os
import warnings

from telegram.warnings import PTBUserWarning

os.environ.setdefault("PTB_TIMEDELTA", "true")
warnings.filterwarnings("ignore", message="Please use 'Bot\\.", category=PTBUserWarning)
