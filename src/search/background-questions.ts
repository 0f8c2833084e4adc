/**
 * Everyday questions on many unrelated subjects. A question's similarity to the closest of them is its
 * "background": how similar this model finds unrelated text to this question. Dense evidence is a
 * passage's similarity above that level (see pipeline/retrieve.ts), so it is zero-centred for every model and
 * every question, and a model that finds everything alike contributes nothing.
 */
export const UNRELATED_PROBES = [
  'How long should I bake sourdough bread at home?',
  'What is the best way to train a puppy to sit?',
  'Which smartphone has the longest battery life this year?',
  'How do I fix a leaking kitchen faucet?',
  'What are the rules of cricket for beginners?',
  'Recommend a good science fiction novel to read',
  'How many calories does a banana contain?',
  'What causes the northern lights to appear?',
  'How do I change a flat tire on a bicycle?',
  'What is the difference between a violin and a viola?',
  'Which houseplants survive with little sunlight?',
  'How do you write a for loop in Python?',
  'What is the capital city of Australia?',
  'How to remove red wine stains from a carpet',
  'Who painted the Mona Lisa?',
  'What should I pack for a beach holiday with children?',
  'How does a refrigerator keep food cold?',
  'What is a good stretching routine after running?',
  'Why do cats purr?',
  'How do I knit a simple scarf?',
  'What is the plot of a famous opera about a clown?',
  'How can I improve my chess openings?',
  'Which wine goes well with grilled salmon?',
  'How are volcanoes formed?',
];
