# Lo que ven los clientes: el widget del chat web y las respuestas automáticas que reciben.

# El widget del chat web.
customer-chat-title = Escríbenos
customer-chat-greeting = ¡Hola! Pregúntanos lo que quieras; te respondemos aquí.
customer-chat-name = Tu nombre
customer-chat-contact = Email o teléfono (para responderte si te vas)
customer-chat-message = Mensaje
customer-chat-send = Enviar
customer-chat-offline = No enviado: falló la conexión. Tu mensaje vuelve a estar en la caja; inténtalo de nuevo.
customer-chat-refused = Este chat no está disponible en este sitio.
customer-chat-failed = No enviado: { $reason }
customer-chat-closed = Ahora estamos cerrados y respondemos cuando abramos.
customer-chat-closed-until = Ahora estamos cerrados y respondemos cuando abramos ({ $day } { $time }).

# Respuestas automáticas (un texto que el negocio ha escrito se envía tal cual).
customer-away-default = Hola { $first_name }, ¡gracias por tu mensaje! Ahora mismo estamos cerrados y te responderemos en cuanto abramos.
customer-ai-disclosure = (Respuesta automática)
