# El asistente: borradores en una conversación, sus ajustes, la base de conocimiento, el registro.

# Por qué un borrador no se envió solo.
assistant-held-not-grounded = No se ha enviado solo: menciona algo que no está en tu base de conocimiento.
assistant-held-topic = No se ha enviado solo: el tema no está entre los permitidos para el asistente.
assistant-held-closed = No se ha enviado solo: estás cerrado.
assistant-held-no-answer = El asistente no ha encontrado respuesta.
assistant-held-human = El cliente ha pedido hablar con una persona.
assistant-held-paused = El asistente está en pausa en esta conversación.
assistant-held-refused = No se ha enviado solo: las reglas de respuesta lo han impedido.

# Borradores.
assistant-paused = El cliente ha pedido hablar con una persona: el asistente no interviene en esta conversación.
assistant-resume = Dejar que el asistente vuelva a responder
assistant-suggested = Sugerido por el asistente ({ $provider })
assistant-no-answer-found = sin respuesta
assistant-not-checked = sin comprobar con tus datos
assistant-draft-label = Borrador (edítalo antes de enviarlo si quieres)
assistant-send-draft = Enviar borrador
assistant-discard-confirm = ¿Descartar este borrador? El asistente no volverá a sugerirlo.
assistant-discard = Descartar
assistant-suggest = Sugerir una respuesta

# Ajustes.
assistant-knowledge = Base de conocimiento
assistant-ledger = Registro de proveedores
assistant-mode = Modo
assistant-mode-off = Desactivado: sin borradores, no se envía nada a ningún proveedor
assistant-mode-draft = Borrador: una persona lo envía, lo edita o lo descarta
assistant-mode-auto = Automático: envía solo cuando todas las reglas lo permiten
assistant-mode-name = { $mode ->
    [off] desactivado
    [draft] borrador
   *[auto] automático
}
assistant-per-channel = Por canal
assistant-as-above = como arriba
assistant-provider = Proveedor
assistant-provider-local = Local (integrado, sin red)
assistant-provider-openai = Compatible con OpenAI (OpenAI, OpenRouter, Ollama, vLLM, LM Studio)
assistant-base-url = URL base (por ejemplo https://api.openai.com/v1 o http://127.0.0.1:11434/v1)
assistant-model = Modelo
assistant-api-key = Clave de API
assistant-api-key-set = (guardada; déjala vacía para conservarla)
assistant-remove-key = Eliminar la clave guardada
assistant-mask = Ocultar teléfonos y emails antes de enviar una pregunta al proveedor
assistant-auto-replies = Respuestas automáticas
assistant-auto-hint = Solo se envían cuando la respuesta usa datos de estos temas, cada precio, hora, fecha y dirección que contiene está en tu base de conocimiento, las reglas de respuesta lo permiten y el cliente no ha pedido hablar con una persona.
assistant-topic = { $topic ->
    [hours] horario y festivos
    [location] dirección
    [contact] teléfono, email, web, idiomas
    [services] servicios, precios y duraciones
    [faq] respuestas de las preguntas frecuentes
    [documents] fragmentos de tus documentos
    [slots] huecos libres
   *[other] { $topic }
}
assistant-in-hours-only = Solo mientras estás abierto (horario comercial)
assistant-disclose = Indicar que la respuesta es automática
assistant-disclosure-text = Texto del aviso
assistant-retention = Conservar los borradores (días)
assistant-save = Guardar ajustes del asistente

# La base de conocimiento.
assistant-kb-hint = El asistente solo responde con lo que hay aquí, tu { $profile } y tu { $hours }.
assistant-kb-profile-link = perfil del negocio
assistant-kb-hours-link = horario comercial
assistant-kb-from-profile = De tu perfil del negocio
assistant-kb-edit-profile = Editar el perfil del negocio
assistant-kb-currency = Moneda de tus precios
assistant-kb-services = Servicios, uno por línea: Nombre | precio | minutos | descripción
assistant-kb-faq = Preguntas y respuestas: "Q: …" y luego "A: …", con una línea en blanco entre entradas
assistant-kb-documents = Documentos: una línea "# Título" y después el texto
assistant-kb-save = Guardar base de conocimiento
assistant-kb-bad-price = «{ $value }» no es un precio; escribe 35 o 35,50.
assistant-kb-bad-minutes = «{ $value }» no es un número de minutos.
assistant-kb-services-line = Servicios, línea { $line }: { $error }
assistant-kb-bad-faq = Preguntas frecuentes: escribe cada entrada como "Q: …" y luego "A: …", con una línea en blanco entre entradas (cerca de «{ $near }»).
assistant-kb-bad-documents = Documentos: empieza cada documento con una línea "# Título".

# El registro.
assistant-ledger-hint = Cada llamada a un proveedor de IA externo: cuándo, qué proveedor y modelo, para qué, cuánto se envió y recibió, y un hash de lo enviado. Nunca el contenido.
assistant-ledger-export = Exportar como CSV
assistant-ledger-empty = No hay llamadas a proveedores externos.
assistant-ledger-when = Cuándo
assistant-ledger-purpose = Motivo
assistant-ledger-sent = Enviado
assistant-ledger-received = Recibido
assistant-ledger-tokens = Tokens
assistant-ledger-outcome = Resultado
