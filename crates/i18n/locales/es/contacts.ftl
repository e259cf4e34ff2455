# Contactos: la lista, la ficha de un contacto, la importación.

# La lista.
contacts-find = Buscar contactos
contacts-search-label = Buscar
contacts-channel = Canal
contacts-any-label = Cualquier etiqueta
contacts-consent = Consentimiento
contacts-any-consent = Cualquier consentimiento
contacts-reachable = Se les puede responder
contacts-opted-out = Dados de baja
contacts-last-contacted = Último contacto
contacts-any-time = Cualquier fecha
contacts-within-days = En los últimos { $days } días
contacts-quiet-days = Sin contacto en { $days } días
contacts-sort = Ordenar
contacts-sort-last = Contacto más reciente
contacts-sort-newest = Más nuevos
contacts-show = Mostrar
contacts-empty = No hay contactos aquí.
contacts-empty-hint = Los clientes que escriben por un canal aparecen aquí solos.
contacts-empty-hint-import = Los clientes que escriben por un canal aparecen aquí solos; también puedes { $link }.
contacts-empty-import-link = importar tu lista de clientes
contacts-select = Seleccionar
contacts-select-one = Seleccionar a { $name }
contacts-name = Nombre
contacts-phone = Teléfono
contacts-email = Email
contacts-labels = Etiquetas
contacts-blocked = bloqueado
contacts-bulk-label = Añadir una etiqueta a los contactos seleccionados
contacts-add-label = Añadir etiqueta
contacts-pages = Páginas
contacts-previous = ← Anterior
contacts-next = Siguiente →
contacts-page-of = Página { $page } de { $pages }

# Un contacto.
contacts-back = ← Todos los contactos
contacts-your-team = Tu equipo
contacts-about = Datos
contacts-labels-comma = Etiquetas (separadas por comas)
contacts-blocked-check = Bloqueado: el negocio no envía nada a este contacto
contacts-save = Guardar contacto
contacts-added = Añadido el { $time }
contacts-language = idioma { $language }
contacts-no-channels = Aún no se le conoce en ningún canal (añadido a mano o importado).
contacts-identity-kind = { $kind ->
    [phone] teléfono
    [user] usuario
    [visitor] visitante
   *[other] { $kind }
}
contacts-removed-channel = canal eliminado
contacts-state-opted-out = dado de baja
contacts-state-reachable = se le puede responder
contacts-history = Historial ({ $count })
contacts-consent-change = { $change ->
    [opt_out] baja
    [opt_in] alta
   *[other] { $change }
}
contacts-consent-source = { $source ->
    [keyword] palabra clave
    [provider] proveedor
    [merge] unión
   *[other] { $source }
}
contacts-conversations = Conversaciones
contacts-no-conversations = Aún no hay conversaciones.
contacts-thread-status = { $status ->
    [open] abierta
    [pending] pendiente
    [snoozed] pospuesta
    [resolved] resuelta
   *[other] { $status }
}
contacts-notes = Notas
contacts-note = Nota (solo la ve tu equipo)
contacts-add-note = Añadir nota
contacts-possible-hint = Mismo teléfono o email. Al unirlos, sus conversaciones, canales, historial de consentimiento, etiquetas y notas pasan a este contacto; una baja en cualquiera de los dos se mantiene.
contacts-merge-confirm = ¿Unir { $other } a { $name }? No se puede deshacer.
contacts-merge-ok = Unir

# La importación.
contacts-import-title = Importar contactos
contacts-import-columns = Un archivo CSV cuya primera línea nombre sus columnas: { $name }, { $phone }, { $email }, { $labels } (separadas por ;) y { $notes }.
contacts-import-phones = Los teléfonos sin prefijo de país toman el país de tu negocio.
contacts-import-limits = Hasta 1 MB aquí (5 MB y { $rows } filas por la API).
contacts-import-consent = Los contactos importados no tienen consentimiento: una lista de clientes no es permiso para escribirles, y Frontdesk solo responde a quien ha escrito primero.
contacts-import-file = Elige un archivo
contacts-import-paste = …o pega las filas
contacts-import-go = { $count ->
    [one] Importar 1 contacto
   *[other] Importar { $count } contactos
}
contacts-import-preview = Vista previa
contacts-import-summary = { $new } nuevos · { $duplicates } ya estaban (se omiten) · { $errors } con errores
contacts-import-fix = Corrige las filas con errores: no se importa nada mientras alguna tenga uno.
contacts-import-line = Línea
contacts-import-outcome = Resultado
contacts-import-duplicate = ya estaba: { $name }
contacts-import-new = nuevo
contacts-imported = { $count ->
    [one] 1 contacto importado
   *[other] { $count } contactos importados
}, { $duplicates } ya estaban.
