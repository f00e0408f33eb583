// Words that name an embedded post's form and author. A post's own text rarely says that it is a
// post, but readers ask "What did the tweet say?": retrieval and the extractive answerer match
// these words against the post as if it said them.
import type { EmbeddedPost } from "../types.ts";

export function describePost(post: EmbeddedPost): string {
  const platform = /twitter|\bx\b/i.test(post.platform) ? "tweet tweeted X Twitter" : post.platform;
  return `embedded social media post ${platform} by ${post.author}${post.handle ? ` ${post.handle}` : ""}`;
}
