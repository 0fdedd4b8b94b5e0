"""站内消息 (the inbox): messages written where the event happens, and the stored record of reminders sent."""
