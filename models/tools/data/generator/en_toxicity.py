"""English toxicity seed lines. toxic: insults aimed at a person, threats, harassment, identity attacks
(contempt for people for who they are). not_toxic: everything else, including profanity that abuses nobody
("this game is fucking great"), harsh but civil criticism, political talk and talk about groups without
contempt. Written for this project; the attacks name no real person and use no slurs."""
from common import Pool, fill

TARGET = Pool([
    "you", "you", "@USER you", "this guy", "she", "he", "the mod", "your boss", "that ref", "the streamer",
    "my neighbour", "the senator", "our mayor", "the clown in the white house", "that reporter",
    "the coach", "the president", "this congressman", "the governor", "the ceo",
])
YOU_ARE = Pool([
    "you are", "you're", "ur", "you are such", "you're literally", "honestly you're", "you really are",
    "you're nothing but", "what a", "you absolute", "you pathetic", "you're just", "you are a total",
])
INSULT = Pool([
    "idiot", "moron", "clown", "loser", "piece of shit", "dumbass", "jackass", "waste of space",
    "pathetic excuse for a human", "lowlife", "scumbag", "brainless troll", "fucking idiot", "joke of a person",
    "imbecile", "worthless hack", "disgusting pig", "lying sack of garbage", "coward", "degenerate",
    "brain-dead puppet", "useless parasite", "freak", "creep", "trash human", "complete fool", "bitch",
    "asshole", "fraud", "spineless weasel", "sorry excuse for a man", "pig", "dimwit", "cretin", "dirtbag",
])
THIRD_BAD = Pool([
    "is a fucking disgrace", "is full of shit", "is a lying sack of shit", "is a moron and so are his fans",
    "is a total piece of shit", "can go fuck himself", "is a stupid cunt", "is an idiot, plain and simple",
    "is a dumb bitch", "is a racist pig", "is a brainwashed idiot", "is a criminal and a pedophile",
    "is a nazi piece of garbage", "is an evil witch", "is trash, just like his party", "is a bunch of idiots",
    "is a liar and a disgrace", "is a total fraud", "should be locked up", "is too stupid to tie his shoes",
    "is a spineless coward", "is a crook and everyone knows it", "has the brain of a goldfish",
    "is a disgusting human being", "is a corrupt piece of trash", "is an embarrassment to this country",
    "is a clown who should resign in shame", "is a vile hypocrite", "deserves nothing but contempt",
    "is the dumbest person alive", "is a pathetic attention whore", "is a useless sack of shit",
    "needs to shut his stupid mouth", "is a traitor and a liar", "is a brainless puppet",
    "is a nasty, lying witch", "is scum", "is a sick, twisted creep",
])
SHUT_UP = Pool([
    "shut up", "shut the fuck up", "nobody asked you", "get lost", "go cry somewhere else", "crawl back under your rock",
    "sit down and shut your mouth", "stfu", "go away", "log off forever", "nobody cares what you think",
    "keep your stupid opinions to yourself", "get off the internet", "piss off", "eat shit",
])
THREAT = Pool([
    "i will find you", "you'd better watch your back", "someone should punch you in the face",
    "i'll make you regret this", "keep talking and see what happens to you", "i hope you get hit by a bus",
    "you deserve to be beaten", "i know where you live", "i'm going to break your legs",
    "people like you should be shot", "go kill yourself", "i hope your house burns down",
    "wait till i see you outside", "i'll smash your face in", "you won't be so brave when i find you",
    "somebody needs to put you in the ground", "i hope you die", "i'll end you",
    "do us all a favour and disappear for good", "i'm coming for you and your family",
])
GROUP = Pool([
    "immigrants", "muslims", "women", "gay people", "black people", "mexicans", "jews", "christians",
    "trans people", "refugees", "asians", "old people", "fat people", "disabled people", "arabs", "atheists",
    "poor people", "foreigners", "indians", "feminists",
])
GROUP_BAD = Pool([
    "are all criminals", "are a disease", "should go back where they came from", "don't belong here",
    "are subhuman", "are too stupid to vote", "ruin everything they touch", "should be banned from this country",
    "are filthy animals", "are a plague on society", "should be kept out", "are worthless",
    "can't be trusted with anything", "should not be allowed to have kids", "are parasites",
    "make me sick", "are all the same, lazy and dirty", "deserve what happens to them",
])
HARASS = Pool([
    "nobody would ever want you, ugly cow", "you're so ugly it hurts to look at you",
    "your mom should have stopped at zero kids", "everyone hates you and they're right",
    "you're a disgusting waste of oxygen", "i'd tell you to go to hell but you'd ruin it",
    "you're the reason your parents drink", "kill yourself and do the world a favour",
    "fat loser, nobody wants to see your face", "you sound like a retard", "what a dumb whore",
    "you are too stupid to be allowed outside", "stupid bitch, learn to read",
    "go back to your cave you inbred freak",
])

# --- not toxic ---------------------------------------------------------------------------------------
PROFANE_FINE = Pool([
    "this game is fucking great", "holy shit what a goal", "damn, this pizza is good", "i'm so fucking tired today",
    "shit, i forgot my keys again", "fuck yeah we won", "hell yes, finally friday", "that concert was badass",
    "the traffic is a fucking nightmare today", "my code broke again, fml", "what the hell happened to the wifi",
    "holy crap that ending", "this song goes so damn hard", "fucking finally, the update is out",
    "oh shit, i'm late for work", "that was one hell of a match", "damn it, missed the bus again",
    "this weather is shit", "god damn that's a good burger", "best fucking day of my life",
    "i laughed my ass off", "this hike kicked my ass", "shit happens, we move on", "what the fuck, it's snowing",
    "he's a badass goalkeeper", "holy fuck she nailed that solo", "my back hurts like hell",
    "crap, the printer jammed again", "damn, you look great", "i'm pissed the game got cancelled",
    "fuck mondays", "that exam was a bitch", "this puzzle is driving me fucking crazy",
    "the new album is sick as hell", "we're so damn proud of you", "bloody hell, that was close",
])
CIVIL_CRITIC = Pool([
    "your service is terrible and i want a refund", "this policy is a bad idea", "i strongly disagree with the senator",
    "the update ruined the app", "that was a lazy answer", "the ref made a terrible call",
    "i think you're wrong about this", "this company keeps letting customers down", "the plan makes no sense to me",
    "your argument ignores the facts", "the movie was awful", "the mayor handled this badly",
    "i'm disappointed in the team's effort", "that tweet aged badly", "this bill will hurt working families",
    "the coach should have subbed him earlier", "this is the worst customer service i've had",
    "your product is overpriced junk", "he gave a weak speech", "the president's plan is unrealistic",
    "i don't trust these polls", "this article is misleading", "the debate was a waste of time",
    "her proposal won't work", "they really messed up the launch",
])
POLITICS = Pool([
    "@USER the senator should resign over this scandal", "@USER gun laws don't stop criminals, enforcement does", "@USER democrats blocked the bill again", "@USER republicans blocked the bill again", "@USER this administration keeps lying about the economy", "@USER antifa marched downtown again URL", "@USER the left has lost its mind over this", "@USER the right has lost its mind over this", "@USER he should be impeached", "@USER she needs to answer for those emails", "@USER build the wall and enforce the law", "@USER open borders are a terrible idea", "@USER the nra funds half of congress", "@USER media bias is real", "@USER liberals want to take your guns", "@USER conservatives don't care about the climate", "@USER what a terrible decision by the court", "@USER this is a disaster for working people", "@USER he lied under oath and everyone saw it", "@USER they will never admit they were wrong", "@USER vote them all out in november", "@USER this is why nobody trusts the news", "@USER the fbi has a lot to explain", "@USER the kavanaugh hearing was a circus", "@USER #MAGA supporters packed the arena", "@USER she is a strong voice for her district", "@USER the tax cut only helped the rich", "@USER our borders are not secure", "@USER i can't believe people still defend him", "@USER history will not be kind to this congress", "@USER that's a lie and you know it", "@USER prove it", "@USER typical politician, promises everything and delivers nothing", "@USER the whole system is rigged", "@USER wake up people, they are lying to you", "@USER so much corruption in this state", "@USER this policy is cruel to kids", "@USER why is nobody talking about this", "@USER he ran a terrible campaign", "@USER she is totally unqualified for the job",
    "@USER she voted against the bill yesterday", "rally downtown tonight #MAGA", "gun control debate continues in the senate URL",
    "@USER i respect your view but i disagree", "early voting starts monday, go vote", "the governor signed the budget",
    "@USER what's your source for that number?", "conservatives and liberals both want safer schools",
    "#BREAKING the senate passed the bill 52-48 URL", "@USER thanks for standing up for veterans",
    "@USER he is running for re-election in 2020", "read the full transcript here URL", "she is the best candidate we have",
    "@USER agreed, both parties need to do better", "the hearing is live now URL", "interesting poll numbers today",
    "@USER i voted for him and i'd do it again", "#KAG rally was packed", "@USER great speech tonight",
    "taxes went up again in our county", "@USER liberals have a point on healthcare", "@USER conservatives have a point on spending",
    "the court will rule next month", "@USER what a great interview", "he was my congressman for ten years",
])
GROUP_FINE = Pool([
    "immigrants started a third of new businesses here", "the women's team won the cup", "the muslim community held a food drive",
    "my grandparents were refugees", "the gay choir sang at the parade", "black history month events start today",
    "the jewish museum has a new exhibit", "disabled people deserve accessible buses", "old people are often the most patient drivers",
    "trans people are people, period", "my asian neighbours invited us to dinner", "mexican food is the best food",
    "christians and atheists debated on campus", "calling people idiots isn't ok", "racism has no place here",
    "refugees are welcome in our town", "feminists organised the march", "every group has good and bad people",
    "poverty is not a character flaw", "hate speech gets you banned here", "please be kind in the comments",
])
NICE = Pool([
    "@USER you are so beautiful", "@USER she is amazing", "@USER he is such a sweet guy", "@USER love you, stay safe", "@USER you're the best", "@USER thank you for your service", "@USER so proud of you", "@USER what a legend", "@USER this made my day", "@USER i miss you", "@USER she is a gem", "@USER he deserves better", "@USER praying for your family", "@USER happy to help anytime", "@USER agreed 100%", "@USER well said", "@USER you are right about that", "@USER good luck tonight", "@USER can't wait to see you", "@USER sending hugs", "@USER she is so talented", "@USER he is a good man", "@USER you look great", "@USER lmao same",
])
NEWS = Pool([
    "man arrested after shooting at mall URL", "storm leaves thousands without power URL", "suspect charged with murder URL", "the jury found him guilty", "three killed in highway crash", "wildfire forces evacuations URL", "police investigate stabbing downtown", "the shooter was known to police", "protesters clashed with police last night", "the war has displaced millions", "crime rates fell last year", "the victim's family spoke today", "school lockdown lifted after threat", "court hears abuse case",
])
CHAT_FINE = Pool([
    "hey, how's it going", "thanks for the help!", "where is my order", "can you reset my password",
    "love this community", "see you at the game", "good morning everyone", "what time is kickoff",
    "congrats on the new job!", "i'm so proud of my sister", "happy birthday @USER", "that dog is adorable",
    "lol you're hilarious", "you're an idiot haha jk love you", "my brother is a clown lol he ate my fries",
    "this guy is a genius", "you're crazy talented", "killing it today @USER", "you killed it on stage",
    "i could kill for a coffee", "that joke killed me", "my boss is nice actually", "shoot me a message later",
    "the bomb squad arrived at the scene URL", "police arrested the suspect", "we beat them 3-0",
    "we destroyed them in the final", "can't wait for the weekend", "my cat is a little monster",
])

SUPPORT = Pool([
    "hi, is someone there", "hello? anybody on this chat", "hey there, quick question", "hi team, need a hand",
    "good evening, can you help me", "yo, is support open today", "hiya, got a minute?", "hello, still waiting on a reply",
    "my order never showed up", "the checkout page won't load", "i keep getting logged out", "refund still not in my account",
    "can i change my delivery address", "the app froze again after the update", "how long does shipping take",
    "my card was declined but the money left", "where do i find my receipts", "i need to update my billing info",
    "the discount code doesn't work", "can you cancel my last order", "i was charged the wrong amount",
    "is there a phone number i can call", "please connect me with a person", "can a human look at this",
    "the tracking link is broken", "my parcel is stuck in customs", "the website is down for me",
    "this is the third time i'm asking, please fix it", "still broken after two weeks, really frustrating",
    "honestly this service has gotten worse", "not happy with how long this is taking", "this is ridiculous, i paid for express",
    "why is nobody answering", "i'm annoyed, the item arrived damaged", "worst delivery experience i've had",
    "thanks, that worked", "appreciate the quick reply", "perfect, thank you so much", "ok got it, have a nice day",
    "cheers for sorting it out", "all good now, thanks", "brilliant, problem solved", "bye!",
    "what are your opening hours", "do you have this in blue", "is the sale still on", "can i pay with paypal",
    "tell me something funny", "what's the capital of australia", "any tips for a long flight", "who's playing tonight",
    "HELLO, ANYONE THERE", "PLEASE HELP ME WITH MY ACCOUNT", "hey hey, you around?", "sup, need help with an order",
])

OPENER = Pool(["", "", "", "", "@USER ", "@USER @USER ", "lol ", "honestly ", "omg ", "seriously, "], shared=True)
CLOSER = Pool(["", "", "", "", " URL", " #news", " #politics", " !!", " lol", " 😂", " .", "?"], shared=True)

TEMPLATES = {
    "toxic": Pool([
        "{you_are} {insult}", "{shut_up}, {insult}", "{shut_up} you {insult}", "{target} {third_bad}",
        "{threat}", "{threat}, {insult}", "{group} {group_bad}", "all {group} {group_bad}", "{harass}",
        "{insult}. {shut_up}", "typical {insult}, {shut_up}", "{target} {third_bad}. {shut_up}",
        "honestly {group} {group_bad}, and {threat}", "you {insult}, {threat}", "{target} is a {insult}",
        "{target} is such a {insult}", "listen here {insult}, {threat}", "i swear {group} {group_bad}",
        "{shut_up}. {you_are} {insult}", "{harass}. {insult}", "another {insult} who thinks {group} {group_bad}",
        "what a {insult}, {target} {third_bad}", "{you_are} {insult} and {threat}",
    ]),
    "not_toxic": Pool([
        "{profane_fine}", "{profane_fine}", "{civil_critic}", "{politics}", "{group_fine}", "{chat_fine}",
        "{profane_fine}, {chat_fine}", "{civil_critic}. {civil_critic}", "{politics}. {civil_critic}",
        "{profane_fine}!", "{chat_fine} {profane_fine}", "{group_fine}. {chat_fine}", "{civil_critic}, {profane_fine}",
        "{politics} {profane_fine}", "{chat_fine}", "{group_fine}", "{politics}", "{politics}", "{nice}", "{nice}",
        "{news}", "{politics} {politics}", "{nice} {chat_fine}", "{news}. {civil_critic}", "{politics}!",
        "{support}", "{support}", "{support}", "{support}, {support}", "{support}?", "{chat_fine}. {support}",
    ]),
}

SLOTS = {
    "target": TARGET, "you_are": YOU_ARE, "insult": INSULT, "third_bad": THIRD_BAD, "shut_up": SHUT_UP,
    "threat": THREAT, "group": GROUP, "group_bad": GROUP_BAD, "harass": HARASS, "profane_fine": PROFANE_FINE,
    "civil_critic": CIVIL_CRITIC, "politics": POLITICS, "group_fine": GROUP_FINE, "chat_fine": CHAT_FINE, "nice": NICE, "news": NEWS,
    "support": SUPPORT,
}


def line(label, rnd, split):
    text = fill(TEMPLATES[label].pick(rnd, split), SLOTS, rnd, split)
    return OPENER.pick(rnd, split) + text + CLOSER.pick(rnd, split)
