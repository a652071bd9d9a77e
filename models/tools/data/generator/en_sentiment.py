"""English sentiment seed lines: film, product, restaurant, hotel and app reviews, support chat,
tweets and slang, sarcasm and mixed reviews whose verdict decides the label. Written for this project."""
from common import Pool, fill

FILM = Pool([
    "the film", "this movie", "the sequel", "the remake", "this documentary", "the new animated feature",
    "the director's latest", "this thriller", "the series finale", "this romantic comedy", "the first season",
    "this biopic", "that horror flick", "the adaptation", "the prequel", "this indie drama", "the musical",
    "the heist movie", "this war film", "the new superhero movie", "this period piece", "the reboot",
    "the courtroom drama", "this family comedy", "the sci-fi epic", "the pilot episode", "this mockumentary",
    "the spy caper", "the coming-of-age story", "the western", "this slasher", "the space opera",
    "the second act", "the miniseries", "the debut feature", "the closing film of the festival",
])

POS_CRITIC = Pool([
    "a film of quiet intelligence that never raises its voice and never needs to",
    "it may be slight, but it is charming enough to win over even the grumpiest viewer",
    "the director finds the humor in grief without ever cheapening it",
    "what could have been a routine genre exercise turns into something genuinely touching",
    "a deft, unpretentious comedy that knows exactly how long to stay",
    "the kind of old-fashioned storytelling that is rarer than it should be",
    "by the end you care about these people more than you expected to",
    "not every joke lands, but the warmth of the thing carries it",
    "it takes its time, and the patience is rewarded",
    "an odd, ambitious little picture that earns its strangeness",
    "the movie is a reminder of how exciting a well-made thriller can be",
    "she gives the character a dignity the script barely suggests",
    "a generous, big-hearted film that leaves you lighter",
    "it's the rare family film that adults will enjoy as much as their kids",
    "the two leads are so appealing that the familiar plot hardly matters",
    "a lovingly made portrait of a town and its stubborn people",
    "smartly structured, sharply observed and often very funny",
    "the final twenty minutes are as good as anything in theaters this year",
    "a thoughtful, unhurried film that rewards attention",
    "funny and sad in equal, well-judged measure",
    "it never settles for the easy laugh or the easy tear",
    "a clever premise executed with real wit and style",
    "an uplifting story that never feels manipulative",
    "the film's modest ambitions are met with confidence and charm",
    "beautifully performed by a cast that clearly believes in the material",
    "full of small, perfectly observed moments",
    "there's a sincerity here that's hard to resist",
    "a tense, intelligent drama that trusts its actors",
    "a triumph of mood and texture over plot",
    "as satisfying a piece of entertainment as you could hope for",
])

NEG_CRITIC = Pool([
    "a film so eager to please that it forgets to be about anything",
    "the screenplay piles on coincidences until nothing feels real",
    "it wants to be profound but settles for being ponderous",
    "the jokes are recycled and the emotions are borrowed",
    "what starts as a promising premise collapses into a string of tired set pieces",
    "the actors do what they can, but the material gives them nothing",
    "a muddled, self-important drama that mistakes gloom for depth",
    "it's hard to care about characters the film itself seems bored by",
    "the movie never finds a reason to exist beyond its marketing",
    "too timid to be daring and too silly to be taken seriously",
    "the director's heavy hand smothers every scene",
    "a comedy that confuses shouting with timing",
    "the result is handsome, hollow and instantly forgettable",
    "it limps from one predictable beat to the next",
    "a long, dull slog that feels twice its running time",
    "the message is delivered with all the subtlety of a sledgehammer",
    "even the talented cast can't rescue this clunky script",
    "it's all surface and no soul",
    "the story is so thin it barely fills the trailer",
    "an unpleasant, sour little movie with nothing underneath",
    "the plot twists are visible from miles away",
    "a sentimental mess that wallows instead of moves",
    "lazy writing, flat direction and a score that never shuts up",
    "the film squanders a fine premise on cheap gags",
    "as stiff and lifeless as a museum exhibit",
    "it's the sort of movie that makes you wish you'd stayed home",
    "more tiresome than terrifying",
    "the characters behave like plot devices rather than people",
    "a tone-deaf, clumsy attempt at satire",
    "for all its noise, the film is curiously inert",
])

POS_FILM = Pool([
    "a warm, funny and surprisingly wise look at growing up",
    "so well acted that you forget you are watching a performance",
    "one of the most gripping thrillers in years",
    "beautifully shot and even better acted",
    "the kind of movie that sends you out of the theater grinning",
    "smart, brisk and never condescending to its audience",
    "a rare sequel that improves on the original",
    "an absorbing portrait of a family falling apart and finding its way back",
    "funny, tender and full of life",
    "a gorgeous, moving piece of animation",
    "clever without ever showing off",
    "a delightful surprise from start to finish",
    "a bold, original vision that pays off",
    "a thoughtful drama that stays with you long after the credits",
    "a sharp, affectionate comedy with a big heart",
    "handled with real grace and honesty",
    "an engrossing, beautifully paced mystery",
    "a crowd-pleaser in the best sense",
    "fresh, inventive and genuinely scary",
    "a heartfelt story told with humor",
    "a small miracle of a film",
    "rich, layered and quietly devastating",
    "tense, witty and wonderfully performed",
    "the most fun i've had at the movies all year",
    "an intelligent, gripping piece of filmmaking",
    "lovely to look at and lovelier to think about",
    "a confident, assured debut",
    "charming in a way that never feels forced",
    "a moving tribute to friendship",
    "sweet, silly and irresistible",
    "a stunning achievement",
    "consistently entertaining and often moving",
    "exciting, fast and smartly written",
    "an unexpectedly touching comedy",
    "a visual feast with a story to match",
    "both hilarious and heartbreaking",
    "a haunting, memorable experience",
    "witty, warm and wise",
    "an honest and affecting drama",
    "a real pleasure to watch",
    "a thrilling ride that never lets up",
    "endlessly inventive",
    "the best work of the director's career",
    "a wonderful showcase for its young cast",
    "a film that trusts its audience",
])

NEG_FILM = Pool([
    "a tedious, overlong mess",
    "a lazy cash grab with nothing to say",
    "painfully slow and utterly forgettable",
    "flat, lifeless and dull",
    "a dull retread of better films",
    "so bland it barely registers",
    "pretentious and boring",
    "a waste of a talented cast",
    "a sequel nobody asked for",
    "a joyless, cynical product",
    "clumsy, loud and empty",
    "an ugly, mean-spirited little film",
    "a confused muddle of half-finished ideas",
    "predictable from the first scene to the last",
    "as exciting as watching paint dry",
    "an embarrassment for everyone involved",
    "a thin script stretched far past breaking point",
    "a disappointing misfire",
    "badly written and worse acted",
    "a chore to sit through",
    "shallow, smug and irritating",
    "a muddled thriller without any thrills",
    "a comedy without a single real laugh",
    "numbingly repetitive",
    "a mess of cliches",
    "too long, too loud and too stupid",
    "hollow and manipulative",
    "an incoherent jumble",
    "one of the worst films of the year",
    "a sleepy, toothless drama",
    "strangely lifeless despite all the noise",
    "a tired formula picture",
    "unfunny and mean",
    "an overproduced bore",
    "a sad waste of two hours",
    "dreary, drab and deeply uninvolving",
    "a clunky, sentimental slog",
    "more irritating than entertaining",
    "a film that mistakes noise for excitement",
    "instantly forgettable",
])

POS_FILM_CLAUSE = Pool([
    "the performances are terrific", "the script crackles with wit", "the cast has wonderful chemistry",
    "the ending lands perfectly", "the soundtrack is gorgeous", "the photography is stunning",
    "the lead gives a career-best performance", "the dialogue feels natural and funny",
    "every scene feels alive", "the action is staged with real flair", "the jokes keep coming",
    "the characters feel like real people", "the pacing never drags", "the twist genuinely surprised me",
    "the score is haunting", "the child actors are remarkable", "the final act is thrilling",
    "the story earns its emotion", "the world-building is rich", "the humor is smart",
    "the production design is beautiful", "the villain is actually interesting",
    "the director knows exactly what she is doing", "it builds to a moving finale",
])

NEG_FILM_CLAUSE = Pool([
    "the plot makes no sense", "the jokes fall flat", "the dialogue is painfully clumsy",
    "the lead is badly miscast", "the twist is obvious from the start", "the editing is chaotic",
    "the characters are cardboard cutouts", "the pacing is sluggish", "the ending is a cop-out",
    "it drags for the entire second half", "the effects look cheap", "the script is a mess",
    "the story goes nowhere", "the romance has zero chemistry", "the villain is a cartoon",
    "the humor is crude without being funny", "it runs forty minutes too long", "the acting is wooden",
    "the music never stops telling you what to feel", "nothing is at stake", "the sound mix is muddy",
    "the middle section is a slog", "every scene is predictable", "it forgets its own characters",
])

PRODUCT = Pool([
    "these headphones", "the blender", "this phone case", "the vacuum", "my new laptop", "these running shoes",
    "this backpack", "the coffee maker", "the charger", "this mattress", "the kettle", "this keyboard",
    "the air fryer", "this jacket", "the smartwatch", "the desk chair", "the printer", "this sunscreen",
    "the tent", "these jeans", "the router", "this moisturizer", "the electric toothbrush", "the monitor",
    "the stroller", "the bluetooth speaker", "this cookbook", "the phone", "the mouse", "the water bottle",
])

POS_PRODUCT = Pool([
    "works perfectly", "is worth every penny", "exceeded my expectations", "feels really solid",
    "arrived early and works great", "has a battery that lasts forever", "is so comfortable",
    "does exactly what it promises", "looks even better in person", "was easy to set up",
    "is the best purchase i made this year", "still works like new after a year", "is super quiet",
    "fits perfectly", "makes my mornings so much easier", "is really well designed",
    "sounds amazing for the price", "is sturdy and light", "charges really fast", "is a total game changer",
    "keeps my drinks cold all day", "has been flawless so far",
])

NEG_PRODUCT = Pool([
    "broke after two days", "stopped charging after a week", "is cheaply made", "smells like burnt plastic",
    "does not fit as described", "died right after the warranty ran out", "is way too loud",
    "arrived scratched and missing parts", "feels flimsy", "is a complete waste of money",
    "overheats constantly", "looks nothing like the photos", "falls apart if you look at it",
    "keeps disconnecting", "gave me a rash", "leaks everywhere", "is uncomfortable after ten minutes",
    "lags all the time", "has a battery that barely lasts an hour", "stopped working on day one",
    "ripped after the first wash", "is slower than my old one",
])

PLACE = Pool([
    "the restaurant", "this hotel", "the cafe on main street", "the pizza place", "our airbnb",
    "the delivery service", "the gym", "the hair salon", "the dentist", "the car rental", "the airline",
    "the taco truck", "the spa", "the bakery", "the resort", "the bike shop", "the sushi bar",
    "the moving company", "the bank branch", "the vet clinic", "the bookstore", "the ramen spot",
])

POS_SERVICE = Pool([
    "the staff were lovely", "the food was fresh and delicious", "service was quick and friendly",
    "the room was spotless", "they went out of their way to help us", "the view was incredible",
    "everything arrived hot and on time", "the prices are fair", "the manager fixed our problem right away",
    "we felt welcome from the moment we walked in", "the portions are huge", "the bed was super comfy",
    "the coffee is excellent", "check-in took two minutes", "our waiter was hilarious and kind",
    "they remembered my name", "the instructor was patient and encouraging", "the pastries are heavenly",
])

NEG_SERVICE = Pool([
    "the food was cold", "we waited forty minutes for a table", "the staff were rude",
    "the room smelled of smoke", "they lost our booking", "the bathroom was filthy",
    "the delivery came two hours late", "nobody answered the phone", "they overcharged us",
    "the manager didn't care at all", "the wifi never worked", "the soup was salty enough to kill a horse",
    "my order was wrong twice", "the flight was delayed six hours with no explanation",
    "the air conditioning was broken", "they cancelled my appointment without telling me",
    "the car had a flat tire at pickup", "the sheets had stains",
])

POS_SUPPORT = Pool([
    "thanks so much, that fixed it", "your agent was super patient with me", "problem solved in five minutes, amazing",
    "refund came through already, thank you", "best customer support i've dealt with", "you guys are awesome",
    "the new update is really smooth", "love the dark mode", "the app is so much faster now",
    "really appreciate the quick reply", "that was painless, thanks", "great service as always",
    "the replacement arrived today and it works perfectly", "you saved my day",
])

NEG_SUPPORT = Pool([
    "still no refund after three weeks", "i've been on hold for an hour", "the app crashes every time i open it",
    "this is the third time i'm explaining the same problem", "your update broke everything",
    "nobody replies to my emails", "the tracking hasn't moved in ten days", "i was charged twice and nobody cares",
    "the chat bot is useless", "my account is locked again", "the new layout is awful",
    "i'm really disappointed with how this was handled", "worst support experience ever",
    "the package arrived damaged and you want me to pay for the return",
])

SLANG_POS = Pool([
    "this slaps", "lowkey obsessed with this", "no cap best burger in town", "it's fire 🔥", "absolute banger",
    "ngl this was amazing", "fucking loved it", "holy shit this is good", "10/10 no notes", "chef's kiss",
    "this hits different", "obsessed!!", "vibes were immaculate", "goated", "so damn good",
    "i'm screaming, this is perfect", "best thing ever tbh", "bro this is insane (in a good way)",
    "can't stop rewatching it", "yesss finally a good one", "straight up masterpiece",
])

SLANG_NEG = Pool([
    "mid at best", "this ain't it", "absolute trash", "kinda mid tbh", "hard pass", "what a flop",
    "total garbage", "so damn boring", "that was a whole waste of my evening", "big yikes", "zero stars",
    "never again lol", "i want my money back", "smh what a letdown", "utter crap", "bruh this sucks",
    "painful to watch", "nope nope nope", "fell asleep halfway", "1/10 would not recommend", "yikes, avoid",
])

SARCASM = Pool([
    "oh great, another update that breaks everything",
    "wow, two hours on hold, fantastic service",
    "love how the app logs me out every five minutes",
    "thanks for nothing",
    "10/10 would get ignored by support again",
    "what a masterpiece, i only fell asleep twice",
    "sure, because charging me twice is totally normal",
    "nothing says quality like a zipper that breaks on day one",
    "amazing how they made the sequel even worse",
    "so glad i paid extra for express shipping that took two weeks",
    "brilliant, the 'fix' made it slower",
    "oh good, the delivery guy left my package in the rain again",
    "can't wait to waste another weekend on this garbage",
    "truly inspiring how every character is dumber than the last",
    "yeah, because that's exactly what i wanted, a phone that dies by noon",
    "great job, you managed to ruin the one thing that worked",
    "impressive, three hours and the plot still hasn't started",
    "wonderful, my order is 'on its way' for the fifth day",
    "cool cool cool, so nobody is going to answer me",
    "awesome, the new version deleted all my notes",
])

NEUTRAL = Pool([
    "the movie comes out on friday", "what time does the show start tonight", "the film runs about two hours",
    "is the book better than the series", "heading to the store, need anything?", "the meeting moved to 3pm",
    "new episode drops next week", "reading some reviews before i decide", "it's raining again",
    "does this blender come in black", "how long is the warranty on this", "my order number is 48213",
    "can i change my delivery address", "the director also made the 2015 remake", "they filmed it in iceland",
    "the cast includes mostly newcomers", "i watched it on my phone on the train", "checking in at 2pm",
    "is there parking near the hotel", "the restaurant opens at noon on sundays", "which size should i get",
    "i'll be home around seven", "anyone know if the store is open today", "the trailer was released this morning",
    "the update is version 4.2", "we're meeting at the cinema at eight", "just landed in chicago",
    "sending you the invoice now", "the package should arrive tuesday", "what's the difference between the two models",
    "i have a question about my subscription", "the sequel is directed by someone else", "it's based on a true story",
    "the tickets are twelve dollars", "i bought it last month", "it's the third film in the series",
    "they added subtitles in twelve languages", "can you send me the tracking link", "the museum closes at five",
    "the press screening is on tuesday", "my brother works at that hotel", "what's the return policy",
    "the festival lineup was announced", "i'm watching the game at dan's", "the app asks for my email again",
    "how do i reset the router", "please call me back after lunch", "the weather tomorrow is supposed to be cloudy",
    "the novel was published in 1998", "the show has eight episodes", "it's on sale until sunday",
    "i think the soundtrack is on spotify", "the film was shot in black and white", "lunch at 1?",
    "is it available in blue", "the store is next to the bank", "ok, noted", "sure, see you then",
])

OPENER = Pool([
    "", "", "", "honestly, ", "ok so ", "just saw it: ", "update: ", "real talk, ", "so yeah, ", "tbh ",
    "well, ", "not gonna lie, ", "i have to say ", "quick review: ", "after a week: ", "first impressions: ",
], shared=True)
CLOSER = Pool([
    "", "", "", "", " !", " lol", " haha", " ...", " !!", " tbh", " imo", " fr",
], shared=True)

POS_RATING = ["9/10", "5 stars", "4.5/5", "★★★★★", "8/10", "a solid 9"]
NEG_RATING = ["2/10", "1 star", "1/5", "★☆☆☆☆", "3/10", "0 stars if i could"]

TEMPLATES = {
    "positive": Pool([
        "{film} is {pos_film}", "{pos_film}", "{pos_film_clause}, and {pos_film_clause}",
        "{film} is {pos_film}: {pos_film_clause}", "{product} {pos_product}",
        "{place} was great, {pos_service}", "{pos_service} and {pos_service}", "{pos_support}",
        "{slang_pos}", "just watched {film}, {slang_pos}", "{neg_film_clause}, but {pos_film_clause} and overall i loved it",
        "not perfect, {neg_film_clause}, but {film} is {pos_film}",
        "{product} {pos_product}. {pos_rating}", "{film}: {pos_film}. {pos_rating}",
        "i was worried {product} would be bad but it {pos_product}", "{place}: {pos_service}. would go back",
        "expected little from {film} and got {pos_film}", "my kids loved {film}, {pos_film_clause}",
        "{pos_film_clause}. {pos_film_clause}. go see it", "despite the hype, {film} really is {pos_film}",
        "even though {neg_film_clause}, {film} is {pos_film}", "highly recommend {place}, {pos_service}",
        "five minutes in i knew {film} was {pos_film}", "{product} {pos_product}, {product} {pos_product} too",
        "{pos_support}, {pos_support}", "{pos_critic}", "{pos_critic}", "{pos_critic}", "{pos_critic}; {pos_film_clause}",
        "{pos_critic}. {pos_film}", "{neg_film_clause}, but {pos_critic}",
    ]),
    "negative": Pool([
        "{film} is {neg_film}", "{neg_film}", "{neg_film_clause}, and {neg_film_clause}",
        "{film} is {neg_film}: {neg_film_clause}", "{product} {neg_product}",
        "{place} was awful, {neg_service}", "{neg_service} and {neg_service}", "{neg_support}",
        "{slang_neg}", "just watched {film}, {slang_neg}", "{pos_film_clause}, but {neg_film_clause} and it ruined it",
        "{pos_film_clause}, sure, but {film} is {neg_film}", "{sarcasm}",
        "{product} {neg_product}. {neg_rating}", "{film}: {neg_film}. {neg_rating}",
        "i had high hopes but {product} {neg_product}", "{place}: {neg_service}. never again",
        "everyone said {film} was great, it's {neg_film}", "{sarcasm}. {neg_service}",
        "{neg_film_clause}. {neg_film_clause}. skip it", "for all its hype, {film} is {neg_film}",
        "although {pos_film_clause}, {film} is {neg_film}", "avoid {place}, {neg_service}",
        "i wanted to like {film}, but it is {neg_film}", "{product} {neg_product} and support ignored me",
        "{neg_support}. {sarcasm}", "{neg_critic}", "{neg_critic}", "{neg_critic}", "{neg_critic}; {neg_film_clause}",
        "{neg_critic}. {neg_film}", "{pos_film_clause}, but {neg_critic}",
    ]),
    "neutral": Pool([
        "{neutral}", "{neutral}", "{neutral}", "{neutral}?", "hi, {neutral}", "{neutral}, thanks",
        "quick question: {neutral}", "fyi {neutral}", "{neutral}. {neutral}",
    ]),
}

SLOTS = {
    "film": FILM, "pos_critic": POS_CRITIC, "neg_critic": NEG_CRITIC, "pos_film": POS_FILM, "neg_film": NEG_FILM, "pos_film_clause": POS_FILM_CLAUSE,
    "neg_film_clause": NEG_FILM_CLAUSE, "product": PRODUCT, "pos_product": POS_PRODUCT,
    "neg_product": NEG_PRODUCT, "place": PLACE, "pos_service": POS_SERVICE, "neg_service": NEG_SERVICE,
    "pos_support": POS_SUPPORT, "neg_support": NEG_SUPPORT, "slang_pos": SLANG_POS, "slang_neg": SLANG_NEG,
    "sarcasm": SARCASM, "neutral": NEUTRAL, "pos_rating": POS_RATING, "neg_rating": NEG_RATING,
}


def line(label, rnd, split):
    text = fill(TEMPLATES[label].pick(rnd, split), SLOTS, rnd, split)
    if label == "neutral":  # openers like "first impressions:" announce an opinion
        return text + CLOSER.pick(rnd, split)
    return OPENER.pick(rnd, split) + text + CLOSER.pick(rnd, split)
