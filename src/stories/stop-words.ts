// English stop-words for clustering: function words, plus words every news headline uses ("says",
// "report", weekdays) that would otherwise tie unrelated stories of the same day together.
const FUNCTION_WORDS = `a about above after again against all almost also am among an and another any are around as at
be became because been before being below between both but by can could did do does doing done down during each
either else even ever every few for from further get gets got had has have having he her here hers herself him
himself his how however if in into is it its itself just least less like made make makes many may me might more
most much must my myself neither no nor not now of off often on once one only onto or other others our ours
ourselves out over own per rather same shall she should since so some such than that the their theirs them
themselves then there these they this those though through thus to too toward towards under until up upon us very
via was we were what whatever when where whether which while who whom whose why will with within without would
yet you your yours yourself yourselves amid despite across along beyond inside outside near next`;

const NEWS_WORDS = `say says said saying tell tells told according report reports reported reporting news update
updates latest live breaking watch video videos photo photos picture pictures gallery exclusive opinion editorial
analysis today yesterday tomorrow tonight week weekend day days monday tuesday wednesday thursday friday saturday
sunday new first two three time times people mr mrs ms amp quot nbsp`;

export const STOP_WORDS: ReadonlySet<string> = new Set(`${FUNCTION_WORDS} ${NEWS_WORDS}`.split(/\s+/).filter(Boolean));
