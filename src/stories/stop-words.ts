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

// The commonest function words of the languages whose untranslated text reaches grouping most often
// (French, Spanish, Portuguese, Italian, German, Dutch), folded: two untranslated articles sharing "la"
// and "de" share nothing.
const FOREIGN_FUNCTION_WORDS = `le la les un une des du de da do das dos della delle del dei degli al alla el los las lo
una uno unos unas y e et o ou en em no na nos nas il di che per con sul sulla sur pour par au aux est sont ce cette
ces qui que se sa son ses der die das den dem des ein eine einer und oder ist sind mit fur von zu im am het een van
op te voor met zijn`;

export const STOP_WORDS: ReadonlySet<string> = new Set(`${FUNCTION_WORDS} ${NEWS_WORDS} ${FOREIGN_FUNCTION_WORDS}`.split(/\s+/).filter(Boolean));
