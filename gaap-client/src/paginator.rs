//! [`Paginator`]: lazy streams over `Offset`/`Limit` paged actions.
//!
//! Pages are fetched one at a time, only when the stream is polled. Paging stops when the
//! items seen reach `TotalCount`, or when a page comes back empty (so a missing or wrong
//! `TotalCount` cannot loop forever: every non-empty page advances the offset).

use futures_util::stream::{self, Stream, TryStreamExt};
use gaap_model::Paginated;

use crate::client::Client;
use crate::error::SdkError;

/// Pages through a [`Paginated`] action. Create it with [`Client::paginate`].
#[derive(Debug)]
pub struct Paginator<O> {
    client: Client,
    request: O,
}

/// Where paging stands.
struct Cursor<O> {
    client: Client,
    request: O,
    done: bool,
}

impl<O: Paginated> Paginator<O> {
    pub(crate) fn new(client: Client, request: O) -> Self {
        Self { client, request }
    }

    fn cursor(self) -> Cursor<O> {
        Cursor {
            client: self.client,
            request: self.request,
            done: false,
        }
    }

    /// Every item, across pages, starting at the request's `Offset`.
    pub fn items(self) -> impl Stream<Item = Result<O::Item, SdkError<O::Error>>> + Send
    where
        O::Item: Send,
    {
        stream::try_unfold(self.cursor(), |mut cursor| async move {
            if cursor.done {
                return Ok(None);
            }
            let output = cursor.client.call(cursor.request.clone()).await?;
            let (items, total) = O::into_page(output);
            cursor.advance(items.len(), total);
            Ok(Some((stream::iter(items.into_iter().map(Ok)), cursor)))
        })
        .try_flatten()
    }

    /// Every page's whole response, starting at the request's `Offset` (the first page is
    /// yielded even when empty).
    pub fn pages(self) -> impl Stream<Item = Result<O::Output, SdkError<O::Error>>> + Send
    where
        O::Output: Clone,
    {
        stream::try_unfold(self.cursor(), |mut cursor| async move {
            if cursor.done {
                return Ok(None);
            }
            let output = cursor.client.call(cursor.request.clone()).await?;
            let (items, total) = O::into_page(output.clone());
            cursor.advance(items.len(), total);
            Ok(Some((output, cursor)))
        })
    }
}

#[cfg(feature = "blocking")]
impl<O: Paginated> Paginator<O> {
    /// [`items`](Self::items) without `async` (cargo feature `blocking`): an iterator
    /// that fetches each page on the client's blocking runtime when it needs one. An error
    /// (including a call on an async runtime's thread) is yielded once and ends it.
    pub fn items_blocking(self) -> impl Iterator<Item = Result<O::Item, SdkError<O::Error>>> {
        let mut cursor = Some(self.cursor());
        let mut page = std::vec::IntoIter::default();
        std::iter::from_fn(move || {
            loop {
                if let Some(item) = page.next() {
                    return Some(Ok(item));
                }
                let current = cursor.as_mut()?;
                if current.done {
                    return None;
                }
                let client = current.client.clone();
                match client.block_on(client.call(current.request.clone())) {
                    Ok(output) => {
                        let (items, total) = O::into_page(output);
                        current.advance(items.len(), total);
                        page = items.into_iter();
                    }
                    Err(e) => {
                        cursor = None;
                        return Some(Err(e));
                    }
                }
            }
        })
    }
}

impl<O: Paginated> Cursor<O> {
    /// Move past a page of `count` items; stop at `total` or on an empty page.
    fn advance(&mut self, count: usize, total: Option<i64>) {
        let count = i64::try_from(count).unwrap_or(i64::MAX);
        let next = self.request.offset().saturating_add(count);
        self.done = count == 0 || total.is_some_and(|total| next >= total);
        self.request.set_offset(next);
    }
}
