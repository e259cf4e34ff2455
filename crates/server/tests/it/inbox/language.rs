//! The inbox speaks the person's language: a Spanish browser gets the inbox and a conversation
//! in Spanish (the page's `lang` too); the same person with an English browser gets English.

use crate::inbox::intake::{setup, wa_channel, PHONE_A};
use crate::inbox::outbox::{deliver, first_thread, wa_text, CUSTOMER};

#[tokio::test]
async fn a_spanish_browser_gets_the_inbox_in_spanish() {
    let s = setup().await;
    let t = &s.t;
    let ch = wa_channel(t, &s.token, PHONE_A).await;
    deliver(t, &ch, &wa_text(t, CUSTOMER, "wamid.L1", "Hola, ¿abrís el sábado?")).await;
    let th = first_thread(t, &s.token).await["id"].as_str().unwrap().to_string();
    let get = |path: String, lang: &'static str| {
        let c = s.owner.clone();
        async move {
            let r = c.get(t.url(&path)).header("accept-language", lang).send().await.unwrap();
            assert_eq!(r.status(), 200, "{path}");
            r.text().await.unwrap()
        }
    };

    let inbox = format!("/w/{}/inbox", s.ws);
    let p = get(inbox.clone(), "es-ES,es;q=0.9,en;q=0.8").await;
    assert!(p.contains(r#"<html lang="es""#), "{p}");
    assert!(p.contains("<title>(1) Bandeja de entrada · Salon A"), "{p}");
    for words in ["Abiertas", "Pendientes", "Pospuestas", "Resueltas", "Todas", "Todos los canales", "1 sin leer"] {
        assert!(p.contains(&format!(">{words}<")), "{words}: {p}");
    }
    assert!(p.contains(r#"aria-label="Filtrar conversaciones""#), "{p}");
    assert!(p.contains(r#"placeholder="Buscar (/)""#), "{p}");
    assert!(p.contains("Elige una conversación"), "{p}");
    assert!(!p.contains(">Open<") && !p.contains(">Resolved<"), "no English left: {p}");

    // A conversation: its state, the composer, the details pane.
    let p = get(format!("/w/{}/inbox/{th}", s.ws), "es").await;
    assert!(p.contains(r#"<html lang="es""#), "{p}");
    assert!(p.contains(r#"data-status="open">abierta<"#), "{p}");
    assert!(
        p.contains(r#"placeholder="Responder a Sheena Nelson (Ctrl+Intro envía, / inserta una respuesta guardada)""#),
        "{p}"
    );
    for words in ["Sobre esta conversación", "Consentimiento", "Estado y asignación", "Notas privadas", "Enviar"] {
        assert!(p.contains(words), "{words}: {p}");
    }
    assert!(p.contains("La ventana de respuesta se cierra en"), "{p}");
    assert!(p.contains(r#"data-days="{d} días""#), "the countdown's words for the script: {p}");

    // The same person, an English browser: English.
    let p = get(inbox, "en-GB,en;q=0.9").await;
    assert!(p.contains(r#"<html lang="en""#), "{p}");
    assert!(p.contains(">Open<") && p.contains(">All channels<"), "{p}");
    s.t.stop().await;
}
