# mail
