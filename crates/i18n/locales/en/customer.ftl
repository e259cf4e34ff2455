# What customers see: the web-chat widget and the automatic replies they get.

# The web-chat widget.
customer-chat-title = Chat with us
customer-chat-greeting = Hi! Ask us anything; we answer here.
customer-chat-name = Your name
customer-chat-contact = Email or phone (to answer you if you leave)
customer-chat-message = Message
customer-chat-send = Send
customer-chat-offline = Not sent: the connection failed. Your message is back in the box; try again.
customer-chat-refused = This chat is not available on this site.
customer-chat-failed = Not sent: { $reason }
customer-chat-closed = We are closed now and answer when we open.
customer-chat-closed-until = We are closed now and answer when we open ({ $day } { $time }).

# Automatic replies (a text the business wrote itself is sent as written).
customer-away-default = Hi { $first_name }, thanks for your message! We are closed right now and will answer as soon as we open.
customer-ai-disclosure = (Automated reply)
