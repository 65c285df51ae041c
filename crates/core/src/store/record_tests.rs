//! Merge semantics of the generic record mapping, on two forked documents.

use super::*;
use automerge::ActorId;
use automerge::transaction::CommitOptions;
use serde_json::json;

const SCHEMA: Schema = Schema {
    texts: &["note"],
    sets: &["freins", "consent.scopes"],
};

fn obj(v: Json) -> Map<String, Json> {
    match v {
        Json::Object(m) => m,
        _ => panic!("not an object"),
    }
}

fn write(doc: &mut AutoCommit, v: Json, at: i64) -> bool {
    let changed = write_object(doc, &ROOT, &obj(v), &SCHEMA, "").unwrap();
    doc.commit_with(CommitOptions::default().with_time(at));
    changed
}

fn read(doc: &AutoCommit) -> Json {
    Json::Object(read_object(doc, &ROOT, &SCHEMA, ""))
}

fn base() -> Json {
    json!({
        "pseudonym": "Éloïse",
        "age": 19,
        "freins": ["logement", "mobilite"],
        "consent": {"date": "2026-01-02", "scopes": ["suivi"]},
        "note": "rencontrée au city stade",
        "contact": null
    })
}

fn pair() -> (AutoCommit, AutoCommit) {
    let mut a = AutoCommit::new().with_actor(ActorId::from(&[1u8; 16][..]));
    write(&mut a, base(), 1);
    let b = a.fork().with_actor(ActorId::from(&[2u8; 16][..]));
    (a, b)
}

fn sync(a: &mut AutoCommit, b: &mut AutoCommit) {
    a.merge(b).unwrap();
    b.merge(a).unwrap();
}

#[test]
fn round_trip_reads_what_was_written() {
    let (a, _) = pair();
    let mut expected = base();
    expected.as_object_mut().unwrap().remove("contact");
    assert_eq!(read(&a), expected);
}

#[test]
fn rewriting_the_same_value_writes_nothing() {
    let (mut a, _) = pair();
    let heads = a.get_heads();
    assert!(!write(&mut a, base(), 2));
    assert_eq!(a.get_heads(), heads);
}

#[test]
fn concurrent_edits_of_different_fields_both_survive() {
    let (mut a, mut b) = pair();
    let mut va = base();
    va["age"] = json!(20);
    let mut vb = base();
    vb["consent"]["date"] = json!("2026-02-01");
    write(&mut a, va, 2);
    write(&mut b, vb, 3);
    sync(&mut a, &mut b);
    let merged = read(&a);
    assert_eq!(merged, read(&b));
    assert_eq!(merged["age"], 20);
    assert_eq!(merged["consent"]["date"], "2026-02-01");
    assert!(conflicts(&mut a, &SCHEMA).is_empty());
}

#[test]
fn sets_keep_concurrent_additions_and_honour_removals() {
    let (mut a, mut b) = pair();
    let mut va = base();
    va["freins"] = json!(["logement", "mobilite", "sante"]);
    let mut vb = base();
    vb["freins"] = json!(["logement", "langue"]); // adds langue, removes mobilite
    write(&mut a, va, 2);
    write(&mut b, vb, 3);
    sync(&mut a, &mut b);
    assert_eq!(read(&a)["freins"], json!(["langue", "logement", "sante"]));
    assert_eq!(read(&a), read(&b));
}

#[test]
fn notes_merge_as_text() {
    let (mut a, mut b) = pair();
    let mut va = base();
    va["note"] = json!("URGENT rencontrée au city stade");
    let mut vb = base();
    vb["note"] = json!("rencontrée au city stade, revient jeudi");
    write(&mut a, va, 2);
    write(&mut b, vb, 3);
    sync(&mut a, &mut b);
    assert_eq!(
        read(&a)["note"],
        "URGENT rencontrée au city stade, revient jeudi"
    );
}

#[test]
fn same_field_conflicts_are_exposed_with_who_and_when_and_the_shown_value_is_stable() {
    let (mut a, mut b) = pair();
    let mut va = base();
    va["pseudonym"] = json!("Elo");
    let mut vb = base();
    vb["pseudonym"] = json!("Lili");
    write(&mut a, va, 1000);
    write(&mut b, vb, 2000);
    sync(&mut a, &mut b);
    let shown = read(&a)["pseudonym"].clone();
    assert_eq!(
        shown,
        read(&b)["pseudonym"],
        "deterministic on every device"
    );
    let c = conflicts(&mut a, &SCHEMA);
    type Seen = Vec<(String, Vec<(Json, String, i64)>)>;
    let view = |c: &[Conflict]| -> Seen {
        c.iter()
            .map(|c| {
                (
                    c.field.clone(),
                    c.values
                        .iter()
                        .map(|v| (v.value.clone(), v.actor.clone(), v.at))
                        .collect(),
                )
            })
            .collect()
    };
    assert_eq!(view(&c), view(&conflicts(&mut b, &SCHEMA)));
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].field, "pseudonym");
    assert_eq!(c[0].values[0].value, shown, "the shown value comes first");
    let mut seen: Vec<(String, i64)> = c[0]
        .values
        .iter()
        .map(|v| (v.value.as_str().unwrap().to_owned(), v.at))
        .collect();
    seen.sort();
    assert_eq!(seen, vec![("Elo".into(), 1000), ("Lili".into(), 2000)]);
    assert!(c[0].values.iter().all(|v| v.actor.len() == 32));
}

#[test]
fn unknown_fields_from_a_newer_app_survive_an_edit_and_reserved_keys_are_ignored() {
    let (mut a, _) = pair();
    a.put(ROOT, "future_field", "kept").unwrap();
    a.put(ROOT, "deleted", true).unwrap();
    a.commit();
    let mut v = base();
    v["age"] = json!(21);
    v["deleted"] = json!(false);
    write(&mut a, v, 5);
    let r = read(&a);
    assert_eq!(r["future_field"], "kept");
    assert_eq!(r["deleted"], true, "a draft cannot undelete");
    assert_eq!(r["age"], 21);
}

#[test]
fn clearing_an_optional_field_removes_it() {
    let (mut a, _) = pair();
    let mut v = base();
    v["age"] = Json::Null;
    v["freins"] = json!([]);
    write(&mut a, v, 2);
    let r = read(&a);
    assert!(r.get("age").is_none());
    assert_eq!(r["freins"], json!([]));
}
