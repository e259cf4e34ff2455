# platform

# Account.
account-language = Idioma
account-language-browser = Como mi navegador
