# phones
phones-nav = Teléfonos
phones-title = Teléfonos en la nube
phones-intro = Teléfonos Android que tu equipo usa desde los proveedores del operador. Se mide cada minuto que un teléfono está encendido.
phones-tab-warning = Cerrar esta pestaña no apaga el teléfono ni detiene su cobro: apágalo al terminar. Un teléfono que nadie mira se apaga a los { $minutes } minutos.
phones-none = Aún no hay teléfonos.
phones-name = Nombre
phones-status = Estado
phones-provider = Proveedor
phones-tags = Etiquetas
phones-tags-hint = Separa las etiquetas con comas.
phones-notes = Notas
phones-profile = Perfil
phones-add = Añadir un teléfono
phones-no-profiles = El operador aún no ofrece perfiles de teléfono.
phones-usage = Minutos por día
phones-usage-none = No hay minutos registrados en los últimos 31 días.
phones-usage-chart = Minutos que funcionaron los teléfonos cada día, últimos 31 días
phones-day = Día
phones-minutes = Minutos
phones-capped = Por encima del tope diario
phones-settings = Ajustes de los teléfonos
phones-idle = Apagar un teléfono que nadie mira tras (minutos)
phones-cap = Tope diario por teléfono (minutos)
phones-cap-hint = Los minutos por encima del tope se registran pero no se cobran. Déjalo vacío para no poner tope.
phones-save = Guardar
phones-state = { $state ->
    [provisioning] Creándose
    [stopped] Apagado
    [starting] Encendiéndose
    [running] Encendido
    [stopping] Apagándose
    [restarting] Reiniciándose
    [resetting] Restableciéndose
    [failed] Con fallo
    [expired] Caducado
    [deleting] Eliminándose
    [deleted] Eliminado
   *[other] Desconocido
}
phones-op = { $op ->
    [add] añadiéndose
    [start] encendiéndose
    [stop] apagándose
    [restart] reiniciándose
    [reset] restableciéndose
   *[other] eliminándose
}
phones-detail = Motivo
phones-last-error = Último rechazo
phones-running-since = Encendido desde
phones-minutes-run = { $minutes } min registrados
phones-remote = Vista remota
phones-open-remote = Abrir la vista remota del proveedor
phones-leased = { $name } está usando este teléfono hasta
phones-start = Encender
phones-stop = Apagar
phones-restart = Reiniciar
phones-reset = Restablecer
phones-delete = Eliminar
phones-lease = Tomar el control
phones-release = Devolver el control
phones-confirm = No se puede deshacer. ¿Seguir?
phones-activity = Actividad
phones-when = Cuándo
phones-who = Quién
phones-what = Qué
phones-from = Desde
phones-system = Frontdesk
phones-provider-status = { $status ->
    [ok] Funciona
    [auth_failed] Credenciales rechazadas
   *[other] Sin conexión
}
phones-admin-title = Proveedores de teléfonos
phones-admin-providers = Proveedores
phones-admin-no-providers = Aún no hay proveedores: añade una cuenta de GeeLark o un servidor ADB.
phones-admin-kind = Tipo
phones-admin-endpoint = Dirección
phones-admin-app-id = App id (GeeLark)
phones-admin-key = Clave de la API (GeeLark)
phones-admin-add-provider = Añadir el proveedor
phones-admin-sync = Sincronizar el grupo
phones-admin-callback = URL de avisos:
phones-admin-profiles = Perfiles
phones-admin-android = Versión de Android
phones-admin-region = Región
phones-admin-add-profile = Añadir el perfil
phones-admin-devices = Dispositivos
phones-admin-held-by = Espacio de trabajo
phones-admin-pool = En el grupo
phones-no-credit-subject = { $workspace }: { $device } se apagó por falta de saldo
phones-no-credit-body = Hola:

    El teléfono en la nube { $device } de { $workspace } se apagó porque el saldo del espacio ya no cubre su siguiente minuto.

    Recarga el monedero y vuelve a encenderlo: { $link }
