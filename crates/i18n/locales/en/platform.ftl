# platform

# Account.
account-language = Language
account-language-browser = As my browser
