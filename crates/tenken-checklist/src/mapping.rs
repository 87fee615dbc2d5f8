//! Year-over-year item mapping between adjacent checklist versions, from each item's
//! `previous_ids` (the ids of the same item in the `previous` checklist).

use super::{Checklist, Item};

pub mod evidence;

/// The items of `to` that correspond to item `item_id` of `from`.
///
/// Works in both directions between adjacent versions (`to.previous == from.id` or
/// `from.previous == to.id`) and within one checklist. Returns `None` when the item does not
/// exist in `from` or the checklists are not adjacent versions; `Some(vec![])` when the item has
/// no counterpart (new in `to`'s successor, or dropped).
pub fn map_item<'a>(from: &Checklist, to: &'a Checklist, item_id: &str) -> Option<Vec<&'a Item>> {
    let item = from.item(item_id)?;
    if from.id == to.id {
        return to.item(item_id).map(|i| vec![i]);
    }
    if to.previous.as_deref() == Some(from.id.as_str()) {
        // Forward: items of `to` that name this item as their previous one.
        return Some(
            to.items()
                .filter(|i| i.previous_ids.iter().any(|p| p == item_id))
                .collect(),
        );
    }
    if from.previous.as_deref() == Some(to.id.as_str()) {
        // Backward: this item's previous ids.
        return Some(
            item.previous_ids
                .iter()
                .filter_map(|p| to.item(p))
                .collect(),
        );
    }
    None
}

/// Items of `next` that have no counterpart in `prev` (new in this version), in form order.
pub fn new_items<'a>(prev: &Checklist, next: &'a Checklist) -> Vec<&'a Item> {
    next.items()
        .filter(|i| i.new_in_version || !i.previous_ids.iter().any(|p| prev.item(p).is_some()))
        .collect()
}
