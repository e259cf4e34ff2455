# The assistant: drafts on a conversation, its settings, the knowledge base, the ledger.

# Why a draft was not sent by itself.
assistant-held-not-grounded = Not sent by itself: it mentions something that is not in your knowledge base.
assistant-held-topic = Not sent by itself: the topic is not on the assistant's allow-list.
assistant-held-closed = Not sent by itself: you are closed.
assistant-held-no-answer = The assistant found no answer.
assistant-held-human = The customer asked for a person.
assistant-held-paused = The assistant is paused in this conversation.
assistant-held-refused = Not sent by itself: the reply rules refused it.

# Drafts.
assistant-paused = The customer asked for a person: the assistant stays out of this conversation.
assistant-resume = Let the assistant answer again
assistant-suggested = Suggested by the assistant ({ $provider })
assistant-no-answer-found = no answer found
assistant-not-checked = not checked against your facts
assistant-draft-label = Draft (edit before sending if you like)
assistant-send-draft = Send draft
assistant-discard-confirm = Discard this draft? The assistant will not suggest it again.
assistant-discard = Discard
assistant-suggest = Suggest a reply

# Settings.
assistant-knowledge = Knowledge base
assistant-ledger = Provider ledger
assistant-mode = Mode
assistant-mode-off = Off: no drafts, nothing sent to any provider
assistant-mode-draft = Draft: a person sends, edits or discards
assistant-mode-auto = Automatic: sends by itself when every rule allows
assistant-mode-name = { $mode ->
    [off] off
    [draft] draft
   *[auto] auto
}
assistant-per-channel = Per channel
assistant-as-above = as above
assistant-provider = Provider
assistant-provider-local = Local (built in, no network)
assistant-provider-openai = OpenAI-compatible (OpenAI, OpenRouter, Ollama, vLLM, LM Studio)
assistant-base-url = Base URL (for example https://api.openai.com/v1 or http://127.0.0.1:11434/v1)
assistant-model = Model
assistant-api-key = API key
assistant-api-key-set = (set; leave empty to keep it)
assistant-remove-key = Remove the stored key
assistant-mask = Mask phone numbers and emails before sending a question to the provider
assistant-auto-replies = Automatic replies
assistant-auto-hint = Sent only when the answer uses facts of these topics, every price, time, date and address in it is in your knowledge base, the reply rules allow it, and the customer has not asked for a person.
assistant-topic = { $topic ->
    [hours] opening hours and holidays
    [location] address
    [contact] phone, email, website, languages
    [services] services, prices and durations
    [faq] answers from the FAQ
    [documents] passages of your documents
    [slots] free slots
   *[other] { $topic }
}
assistant-in-hours-only = Only while you are open (business hours)
assistant-disclose = Say that the reply is automated
assistant-disclosure-text = Disclosure text
assistant-retention = Keep drafts for (days)
assistant-save = Save assistant settings

# The knowledge base.
assistant-kb-hint = The assistant answers only from what is here, your { $profile } and your { $hours }.
assistant-kb-profile-link = business profile
assistant-kb-hours-link = business hours
assistant-kb-from-profile = From your business profile
assistant-kb-edit-profile = Edit the business profile
assistant-kb-currency = Currency of your prices
assistant-kb-services = Services, one per line: Name | price | minutes | description
assistant-kb-faq = Questions and answers: "Q: …" then "A: …", a blank line between entries
assistant-kb-documents = Documents: a line "# Title", then the text
assistant-kb-save = Save knowledge base
assistant-kb-bad-price = "{ $value }" is not a price; write 35 or 35.50.
assistant-kb-bad-minutes = "{ $value }" is not a number of minutes.
assistant-kb-services-line = Services, line { $line }: { $error }
assistant-kb-bad-faq = FAQ: write each entry as "Q: …" then "A: …", with a blank line between entries (near "{ $near }").
assistant-kb-bad-documents = Documents: start each document with a line "# Title".

# The ledger.
assistant-ledger-hint = Every call to an external AI provider: when, which provider and model, why, how much was sent and received, and a hash of what was sent. Never the content.
assistant-ledger-export = Export as CSV
assistant-ledger-empty = No calls to external providers.
assistant-ledger-when = When
assistant-ledger-purpose = Purpose
assistant-ledger-sent = Sent
assistant-ledger-received = Received
assistant-ledger-tokens = Tokens
assistant-ledger-outcome = Outcome
