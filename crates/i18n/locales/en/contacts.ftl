# contacts
